namespace Dispatch.Server.RiskAssessments;

/// <summary>
/// A register entry's states and the rule of 一评: 未经评估或评估不合格的一律不得实施. A project being
/// carried out (<c>in_progress</c> 实施中) or already done (<c>completed</c>) whose result is
/// <c>pending</c> (never assessed) or <c>failed</c> is flagged. <c>conditional</c> (有条件通过) counts
/// as passed: the assessment found the risk controllable with the measures it names, which is
/// 评估合格; following those measures is the responsible unit's work, not a bar to starting.
/// </summary>
public static class RiskAssessment
{
    public static readonly string[] Levels = ["high", "medium", "low"];
    public static readonly string[] Results = ["pending", "passed", "conditional", "failed"];
    public static readonly string[] Statuses = ["planned", "assessing", "in_progress", "completed", "suspended"];

    /// <summary>Statuses in which the decision or project is being, or has been, carried out.</summary>
    public static readonly string[] CarriedOut = ["in_progress", "completed"];
    /// <summary>Results that do not allow it to be carried out: not assessed, or assessed and failed.</summary>
    public static readonly string[] NotPassed = ["pending", "failed"];

    public static bool Flagged(string status, string result) => CarriedOut.Contains(status) && NotPassed.Contains(result);

    /// <summary>The same rule in SQL over <c>risk_assessment r</c>; binds <c>@carriedOut</c> and <c>@notPassed</c> to the arrays above.</summary>
    public const string FlaggedSql = "(r.status = ANY(@carriedOut) AND r.result = ANY(@notPassed))";

    /// <summary>
    /// What a write does to the project's alert. Raised when the write makes the project flagged — not
    /// on every write of a flagged project, so an alert a dispatcher closed stays closed while nothing
    /// changes; closed by the platform when the write makes it no longer flagged (the assessment
    /// passed, or the work was suspended), with a note saying which.
    /// </summary>
    public static AlertChange OnWrite(bool flaggedBefore, bool flaggedAfter) => (flaggedBefore, flaggedAfter) switch
    {
        (false, true) => AlertChange.Raise,
        (true, false) => AlertChange.Close,
        _ => AlertChange.None,
    };

    public enum AlertChange { None, Raise, Close }

    public static string StatusName(string status) => status switch
    {
        "planned" => "拟实施", "assessing" => "评估中", "in_progress" => "实施中", "completed" => "已完成", _ => "已暂停",
    };

    public static string ResultName(string result) => result switch
    {
        "pending" => "未评估", "passed" => "通过", "conditional" => "有条件通过", _ => "不通过",
    };
}
