using Dispatch.Server.Live;

namespace Dispatch.Server.RiskAssessments;

/// <summary>
/// The alert of a project carried out without a passed assessment: red, in the project's region, on
/// the grid at its position (else its region's grids), through the same alert table and
/// <c>alert.raised</c> event as the scheduled detectors', so every console and wall of the area shows
/// it at once. Keyed by the project (<c>alert.risk_assessment_id</c>, one open per project), not by
/// detector and region: two flagged projects in one village are two alerts. Written inside the
/// register's own transaction — the entry and its alert commit together or not at all.
/// </summary>
public static class UnassessedAlert
{
    // Hyphenated as the other detectors: the screens look its name up as an i18n key, where a dot would be a path.
    public const string Detector = "risk-unassessed";

    const string Raise = """
        WITH p AS (SELECT * FROM risk_assessment WHERE id = @id),
        grids AS (
            SELECT coalesce(
                (SELECT array_agg(g.code ORDER BY g.code) FROM grid g, p
                 WHERE p.position IS NOT NULL AND starts_with(g.code, p.region_code) AND ST_Covers(g.geom, p.position)),
                (SELECT array_agg(g.code ORDER BY g.code) FROM grid g, p WHERE starts_with(g.code, p.region_code)),
                '{}') AS codes),
        raised AS (
            INSERT INTO alert (detector, region_code, grid_codes, level, title, summary, window_from, window_to, risk_assessment_id)
            SELECT @detector, p.region_code, grids.codes, 'red', @title, @summary, @day, @day, p.id FROM p, grids
            ON CONFLICT (risk_assessment_id) WHERE status <> 'closed' DO NOTHING
            RETURNING *)
        INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(r.*)::alert) FROM raised r
        """;

    const string Close = """
        WITH closed AS (
            UPDATE alert SET status = 'closed', version = version + 1, updated_at = now(), handled_by = @by, handled_note = @note, closed_at = now()
            WHERE risk_assessment_id = @id AND status <> 'closed'
            RETURNING *)
        INSERT INTO outbox (type, scope, data) SELECT @type, region_code, live_alert(ROW(c.*)::alert) FROM closed c
        """;

    public static async Task RaiseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, RiskAssessmentView project, TimeProvider clock, CancellationToken ct)
    {
        var (title, summary) = Text(project);
        var day = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Clock.Beijing).DateTime);
        await conn.ExecuteAsync(new CommandDefinition(Raise, new { id = project.Id, detector = Detector, title, summary, day, type = EventTypes.AlertRaised },
            tx, cancellationToken: ct));
    }

    /// <summary>Closes the project's open alert, if any (a dispatcher may have closed it already), saying why the platform did.</summary>
    public static async Task CloseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, RiskAssessmentView project, CurrentUser by, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(Close, new { id = project.Id, by = by.Username, note = ClosingNote(project), type = EventTypes.AlertUpdated },
            tx, cancellationToken: ct));

    /// <summary>The alert's title and the summary a supervisor reads aloud: the project, where, who is responsible, and what the rule says.</summary>
    public static (string Title, string Summary) Text(RiskAssessmentView p)
    {
        var what = p.Result == "failed" ? "评估不合格" : "未经评估";
        var level = p.RiskLevel is { } l ? $"，风险等级{(l == "high" ? "高" : l == "medium" ? "中" : "低")}" : "";
        return ($"“{p.Title}”{what}即实施",
            $"一评（社会稳定风险评估）：{p.RegionName}{p.KindName}“{p.Title}”（台账编号 {p.Id}，责任单位 {p.ResponsibleUnit}）" +
            $"状态为{RiskAssessment.StatusName(p.Status)}，评估结果为{RiskAssessment.ResultName(p.Result)}{level}。" +
            "按《鹤壁市社会稳定风险评估暂行办法》，未经评估或评估不合格的一律不得实施。请立即核实，责令暂停实施，组织开展评估。");
    }

    public static string ClosingNote(RiskAssessmentView p) => RiskAssessment.CarriedOut.Contains(p.Status)
        ? $"项目已完成评估（{RiskAssessment.ResultName(p.Result)}），平台自动关闭。"
        : $"项目状态改为{RiskAssessment.StatusName(p.Status)}，不再实施，平台自动关闭。";
}
