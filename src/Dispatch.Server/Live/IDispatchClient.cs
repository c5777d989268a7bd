namespace Dispatch.Server.Live;

/// <summary>The methods the server calls on a hub client (typed, so a misspelt name does not compile).</summary>
public interface IDispatchClient
{
    /// <summary>One event of the caller's scope, in seq order, never twice.</summary>
    Task Event(LiveEvent e);

    /// <summary>
    /// The server cannot keep this connection current (it fell too far behind, or asked for history
    /// the server no longer keeps): reload from the REST API and resume from <c>Resume(null)</c>.
    /// The connection is closed right after.
    /// </summary>
    Task Resync(string reason);
}

/// <summary>What <c>Resume</c> answers: every event up to <paramref name="Seq"/> the caller may see has been sent.</summary>
public sealed record ResumeResult(long Seq);
