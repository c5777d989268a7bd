using MathNet.Numerics.Distributions;

namespace Dispatch.Simulation;

/// <summary>
/// How long people take, in simulated time. Human task times are log-normal (most quick, a long
/// tail), so each delay is a log-normal around a median tied to the category's SLA clock; the tail
/// runs past the SLA now and then (the acceptance delay: about 7 % of the time; the resolution:
/// about 4 %), which is what the supervision screens exist for.
/// </summary>
public static class Pace
{
    public static TimeSpan LogNormal(Random rng, TimeSpan median, double sigma) =>
        TimeSpan.FromMinutes(MathNet.Numerics.Distributions.LogNormal.Sample(rng, Math.Log(median.TotalMinutes), sigma));

    static TimeSpan Minutes(double m) => TimeSpan.FromMinutes(m);
    static TimeSpan Clamp(double minutes, double min, double max) => Minutes(Math.Clamp(minutes, min, max));

    /// <summary>Reading a new report and deciding on it: 30 % of the acceptance SLA.</summary>
    public static TimeSpan Intake(SlaDto sla, Random rng) => LogNormal(rng, Minutes(0.3 * sla.AcceptMinutes), 0.8);

    /// <summary>Choosing and sending the team once accepted: 6 % of the arrival SLA, 1 to 60 minutes.</summary>
    public static TimeSpan Dispatch(SlaDto sla, Random rng) => LogNormal(rng, Clamp(0.06 * sla.ArriveMinutes, 1, 60), 0.7);

    /// <summary>Finding a replacement after a decline.</summary>
    public static TimeSpan Replace(Random rng) => LogNormal(rng, Minutes(3), 0.6);

    /// <summary>A field member answering the assignment on their phone: faster the more urgent.</summary>
    public static TimeSpan Acknowledge(int priority, Random rng) =>
        LogNormal(rng, Minutes(priority switch { 1 => 1.5, 2 => 3, 3 => 6, _ => 10 }), 0.9);

    /// <summary>Getting there once the whole team has said yes: a quarter of the arrival SLA, 5 to 90 minutes.</summary>
    public static TimeSpan Travel(SlaDto sla, Random rng) => LogNormal(rng, Clamp(0.25 * sla.ArriveMinutes, 5, 90), 0.6);

    /// <summary>Working the case on scene: a fifth of the resolution SLA (mediation takes hours, an accident an hour).</summary>
    public static TimeSpan Handle(SlaDto sla, Random rng) => LogNormal(rng, Minutes(0.2 * sla.ResolveMinutes), 0.9);

    /// <summary>Checking resolved work (核查).</summary>
    public static TimeSpan Verify(Random rng) => LogNormal(rng, Minutes(60), 0.8);

    /// <summary>The return visit before closing (回访).</summary>
    public static TimeSpan Close(Random rng) => LogNormal(rng, Minutes(180), 0.8);

    /// <summary>The level above takes up an escalated case at its next meeting.</summary>
    public static TimeSpan Conference(Random rng) => LogNormal(rng, Minutes(360), 0.6);

    /// <summary>A few minutes' jitter, so that work deferred to opening time does not all start on the stroke.</summary>
    public static TimeSpan Jitter(Random rng) => Minutes(Exponential.Sample(rng, 1 / 20.0));
}
