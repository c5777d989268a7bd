namespace Dispatch.Server.Kpis;

/// <param name="Rank">1 for the best; equal values share a rank; null when the region had nothing to judge the metric on.</param>
public sealed record RankedRegion(int? Rank, string Code, string Name, double? Value, Figures Figures);

public sealed record Ranking(string Level, string Metric, DateOnly From, DateOnly To, IReadOnlyList<RankedRegion> Regions);

/// <summary>The townships or villages of the area ranked by one figure over a period (排名): rates high first, times and rework low first.</summary>
public static class GetRanking
{
    /// <summary>Each metric, and whether a higher value is better.</summary>
    static readonly Dictionary<string, (Func<Figures, double?> Value, bool HigherIsBetter)> Metrics = new()
    {
        ["dueRate"] = (f => f.DueRate, true),
        ["acceptOnTimeRate"] = (f => f.AcceptOnTimeRate, true),
        ["resolveOnTimeRate"] = (f => f.ResolveOnTimeRate, true),
        ["reworkRate"] = (f => f.ReworkRate, false),
        ["responseMedianMinutes"] = (f => f.ResponseMedianMinutes, false),
        ["resolutionMedianMinutes"] = (f => f.ResolutionMedianMinutes, false),
        ["supervisedLate"] = (f => f.Supervised == 0 ? null : f.SupervisedLate, false),
        ["visitCoverageRate"] = (f => f.VisitCoverageRate, true),
    };

    static readonly Dictionary<string, int> Levels = new() { ["district"] = 6, ["township"] = 9, ["village"] = 12 };

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, TimeProvider clock, string? level, string? metric,
        string? from, string? to, string? regionCode, CancellationToken ct)
    {
        var (scope, problem) = KpiScope.Of(http, clock, from, to, regionCode);
        if (scope is null) return problem!;
        var (area, period, now) = scope;
        level ??= area.Code.Length >= 9 ? "village" : "township";
        if (!Levels.TryGetValue(level, out var length) || length <= (area.Code == CurrentUser.CityCode ? 0 : area.Code.Length))
            return Problems.Invalid("level", "level 应为本辖区以下的 district、township 或 village。");
        metric ??= "dueRate";
        if (!Metrics.TryGetValue(metric, out var rule)) return Problems.Invalid("metric", $"metric 应为 {string.Join("、", Metrics.Keys)} 之一。");

        await using var conn = await db.OpenConnectionAsync(ct);
        var figures = await Figures.ByAsync(db, KpiKey.Region(length), area.Prefix, period, now, ct);
        var regions = await conn.QueryAsync<(string Code, string Name)>(new CommandDefinition(
            "SELECT code, name FROM region WHERE level = @level AND starts_with(code, @prefix) ORDER BY code", new { level, prefix = area.Prefix }, cancellationToken: ct));
        var rows = regions.Select(r => (r.Code, r.Name, Figures: figures.GetValueOrDefault(r.Code, Figures.None)))
            .Select(r => (r.Code, r.Name, r.Figures, Value: rule.Value(r.Figures)))
            .OrderBy(r => r.Value is null)
            .ThenBy(r => rule.HigherIsBetter ? -(r.Value ?? 0) : r.Value ?? 0)
            .ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        var ranked = new List<RankedRegion>(rows.Count);
        for (var n = 0; n < rows.Count; n++)
        {
            var r = rows[n];
            int? rank = r.Value is null ? null : n > 0 && rows[n - 1].Value == r.Value ? ranked[n - 1].Rank : n + 1;
            ranked.Add(new RankedRegion(rank, r.Code, r.Name, r.Value, r.Figures));
        }
        return TypedResults.Ok(new Ranking(level, metric, period.From, period.To, ranked));
    }
}
