
namespace Dispatch.Simulation;

/// <summary>
/// The simulated city's clock, in Beijing time: it starts at the real "now" (or a given moment)
/// and runs <c>speed</c> times faster. Every wait of the simulation is a simulated span, slept for span ÷ speed.
/// </summary>
public sealed class SimClock(TimeProvider real, double speed, DateTimeOffset? start = null)
{
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    readonly long _start = real.GetTimestamp();
    readonly DateTimeOffset _origin = (start ?? real.GetUtcNow()).ToOffset(Beijing);

    public double Speed => speed;
    public DateTimeOffset Now => _origin + Elapsed;
    /// <summary>How long the simulation has run, in simulated time.</summary>
    public TimeSpan Elapsed => real.GetElapsedTime(_start) * speed;

    public Task DelayAsync(TimeSpan simulated, CancellationToken ct) =>
        simulated <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(simulated / speed, real, ct);

    public Task WaitUntilAsync(DateTimeOffset simulated, CancellationToken ct) => DelayAsync(simulated - Now, ct);

    /// <summary>A simulated span that is at least <paramref name="minReal"/> of real time (polling must not outrun the server).</summary>
    public TimeSpan AtLeastReal(TimeSpan simulated, TimeSpan minReal) => simulated / speed >= minReal ? simulated : minReal * speed;
}
