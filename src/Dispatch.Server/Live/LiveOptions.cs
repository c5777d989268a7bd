namespace Dispatch.Server.Live;

/// <summary>Settings of the live stream (section <c>Live</c>).</summary>
public sealed class LiveOptions
{
    /// <summary>Events a connection may have waiting before it counts as stalled and is dropped.</summary>
    public int MailboxCapacity { get; set; } = 2000;
    public int ReplayPageSize { get; set; } = 500;
    /// <summary>Beyond this many events to replay, a client is told to reload instead.</summary>
    public int MaxReplay { get; set; } = 200_000;
    /// <summary>Live connections one account may hold on one node (several tabs, a few walls on one account).</summary>
    public int MaxConnectionsPerUser { get; set; } = 32;
    /// <summary>Replays one account may run at once; more wait (up to four), beyond that the resume is refused.</summary>
    public int ReplaysAtOnce { get; set; } = 2;
    /// <summary>Events one account may have replayed: a bucket of <see cref="MaxReplay"/> refilled at this rate a second.</summary>
    public int ReplayEventsPerSecond { get; set; } = 2_000;
    /// <summary>Whether this server may relay (one does at a time); off only to test a relay that never ran.</summary>
    public bool Relay { get; set; } = true;
    /// <summary>Events the relay takes per round.</summary>
    public int RelayBatch { get; set; } = 1000;
    /// <summary>How often a standby server asks whether the relay's lock is free.</summary>
    public TimeSpan StandbyPoll { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How often each server checks the outbox for events its stream missed.</summary>
    public TimeSpan CatchUpEvery { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Events are kept this long for clients resuming after an absence.</summary>
    public int RetentionDays { get; set; } = 7;
}
