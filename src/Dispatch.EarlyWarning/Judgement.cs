namespace Dispatch.EarlyWarning;

/// <summary>
/// One day that a detector judged.
/// </summary>
/// <param name="Day">0-based index of the day in the series (R's 1-based day is <c>Day + 1</c>).</param>
/// <param name="Count">The day's observed count.</param>
/// <param name="Score">The detector's statistic, in its own units (standardised excess for C1/C2,
/// the C3 sum, the CUSUM sum, the EWMA value).</param>
/// <param name="Threshold">In count units for every detector: the day alarms exactly when
/// <c>Count &gt; Threshold</c>. For C1 and C2 this is R's <c>upperbound</c>; it may be
/// <see cref="double.NegativeInfinity"/> when the day alarms whatever its count (C3 carrying an
/// alarm from the two days before).</param>
/// <param name="Alarm">Whether the day alarms.</param>
public readonly record struct Judgement(int Day, double Count, double Score, double Threshold, bool Alarm);
