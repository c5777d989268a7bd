using System.Globalization;
using System.Text;

namespace Dispatch.Simulation;

/// <summary>
/// What the simulation has done so far, counted without locks: reports filed, transitions by
/// action, races lost to someone else (409/412: normal, not errors), retries, and real errors.
/// </summary>
public sealed class SimulationStats
{
    static readonly IncidentAction[] Shown =
    [
        IncidentAction.Accept, IncidentAction.Reject, IncidentAction.Dispatch, IncidentAction.Acknowledge, IncidentAction.Decline,
        IncidentAction.Arrive, IncidentAction.Resolve, IncidentAction.Verify, IncidentAction.Rework, IncidentAction.Close,
        IncidentAction.Escalate, IncidentAction.Cancel,
    ];

    static readonly Dictionary<IncidentAction, string> Labels = new()
    {
        [IncidentAction.Accept] = "受理", [IncidentAction.Reject] = "不予受理", [IncidentAction.Dispatch] = "派遣",
        [IncidentAction.Acknowledge] = "接单", [IncidentAction.Decline] = "拒单", [IncidentAction.Arrive] = "到场",
        [IncidentAction.Resolve] = "办结", [IncidentAction.Verify] = "核查", [IncidentAction.Rework] = "返工",
        [IncidentAction.Close] = "结案", [IncidentAction.Escalate] = "升级", [IncidentAction.Cancel] = "撤销",
    };

    readonly long[] _transitions = new long[Enum.GetValues<IncidentAction>().Length];
    long _created, _conflicts, _retries, _errors, _signIns;

    public long Created => Interlocked.Read(ref _created);
    public long Conflicts => Interlocked.Read(ref _conflicts);
    public long Errors => Interlocked.Read(ref _errors);
    public long Retries => Interlocked.Read(ref _retries);
    public long SignIns => Interlocked.Read(ref _signIns);
    public long Of(IncidentAction action) => Interlocked.Read(ref _transitions[(int)action]);

    public void IncidentCreated() => Interlocked.Increment(ref _created);
    public void Transitioned(IncidentAction action) => Interlocked.Increment(ref _transitions[(int)action]);
    public void RaceLost() => Interlocked.Increment(ref _conflicts);
    public void Retried() => Interlocked.Increment(ref _retries);
    public void Error() => Interlocked.Increment(ref _errors);
    public void SignedIn() => Interlocked.Increment(ref _signIns);

    /// <summary>One compact line, e.g. <c>模拟时间 11-28 周六 14:05 | 上报 312 | 受理 290 派遣 281 … | 冲突 3 重试 0 错误 0</c>.</summary>
    public string Line(DateTimeOffset simulatedNow)
    {
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        var line = new StringBuilder($"模拟时间 {simulatedNow.ToString("MM-dd ddd HH:mm", zh)} | 上报 {Created:N0} |");
        foreach (var action in Shown) line.Append(' ').Append(Labels[action]).Append(' ').Append(Of(action).ToString("N0"));
        return line.Append($" | 登录 {SignIns:N0} 冲突 {Conflicts:N0} 重试 {Retries:N0} 错误 {Errors:N0}").ToString();
    }
}
