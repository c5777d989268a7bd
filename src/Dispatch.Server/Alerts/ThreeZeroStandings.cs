using Dispatch.EarlyWarning.Patterns;

namespace Dispatch.Server.Alerts;

/// <summary>
/// Changes of each village's 三零 standing over the calendar year to date (the campaign's
/// assessment year), against the standing recorded at the last run (<c>three_zero_standing</c>).
/// A village seen for the first time in a period is compared with its standing as of the day
/// before, so a change today is not lost and the history before it raises nothing. The run settles
/// the alert first and records the new standing after it: a crash in between finds the change
/// again and settles it again (idempotently), so every change becomes an alert once. "Major" is the
/// board's (configuration <c>ThreeZeros:Major</c>): the alert and the 三零 board never disagree.
/// </summary>
public sealed class ThreeZeroStandings(NpgsqlDataSource db, ThreeZeroMajor? major = null)
{
    readonly ThreeZeroMajor _major = major ?? ThreeZeroMajor.Default;

    public static DateOnly PeriodStart(DateOnly day) => new(day.Year, 1, 1);

    /// <summary>Every village whose standing changed (<c>Change</c>), or that has none recorded for this period yet (<c>Change</c> null), with its standing now.</summary>
    public async Task<List<(ThreeZeroChange? Change, ThreeZeroStatus Now)>> ChangesAsync(DateOnly today, IEnumerable<string> villages, CancellationToken ct)
    {
        var from = PeriodStart(today);
        await using var conn = await db.OpenConnectionAsync(ct);
        var incidents = (await conn.QueryAsync<(string Village, long Id, DateTimeOffset At, string Category, string Level, string Status, bool Duplicate, short Priority)>(
                new CommandDefinition("""
                    SELECT village_code, id, created_at, category_code, level, status, duplicate_of IS NOT NULL, priority FROM incident
                    WHERE created_at >= @from AND created_at < @to AND split_part(category_code, '.', 1) IN ('petition', 'accident', 'criminal')
                    """, new { from = ScoringInputs.Beijing(from), to = ScoringInputs.Beijing(today.AddDays(1)) }, cancellationToken: ct)))
            .GroupBy(r => r.Village)
            .ToDictionary(g => g.Key, g => g.Select(r => new VillageIncident(r.Id, r.At, r.Category, r.Level, r.Status, r.Duplicate, r.Priority)).ToList());
        var stored = (await conn.QueryAsync<(string Village, int Petitions, int Accidents, int Cases)>(new CommandDefinition(
                "SELECT village_code, petitions, accidents, cases FROM three_zero_standing WHERE period_from = @from", new { from }, cancellationToken: ct)))
            .ToDictionary(r => r.Village, r => new ThreeZeroStatus(r.Village, from, today, r.Petitions, r.Accidents, r.Cases, []));

        var result = new List<(ThreeZeroChange?, ThreeZeroStatus)>();
        foreach (var village in villages)
        {
            var own = incidents.GetValueOrDefault(village) ?? [];
            var now = ThreeZero.Assess(village, own, from, today, _major);
            if (stored.TryGetValue(village, out var before))
            {
                if (ThreeZero.Compare(before, now) is { } change) result.Add((change, now));
                continue;
            }
            var yesterday = today == from ? new ThreeZeroStatus(village, from, from, 0, 0, 0, []) : ThreeZero.Assess(village, own, from, today.AddDays(-1), _major);
            result.Add((ThreeZero.Compare(yesterday, now), now));
        }
        return result;
    }

    /// <summary>Records the standings (one statement for all).</summary>
    public async Task RecordAsync(IReadOnlyCollection<ThreeZeroStatus> standings, CancellationToken ct)
    {
        if (standings.Count == 0) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO three_zero_standing (village_code, period_from, petitions, accidents, cases)
            SELECT * FROM unnest(@villages::text[], @froms::date[], @petitions::int[], @accidents::int[], @cases::int[])
            ON CONFLICT (village_code) DO UPDATE SET period_from = excluded.period_from, petitions = excluded.petitions,
                accidents = excluded.accidents, cases = excluded.cases, assessed_at = now()
            """, new
        {
            villages = standings.Select(s => s.Village).ToArray(), froms = standings.Select(s => s.From).ToArray(),
            petitions = standings.Select(s => s.Petitions).ToArray(), accidents = standings.Select(s => s.Accidents).ToArray(),
            cases = standings.Select(s => s.Cases).ToArray(),
        }, cancellationToken: ct));
    }

    static string Zero(ThreeZeroKind kind) => kind switch { ThreeZeroKind.Petitions => "零上访", ThreeZeroKind.Accidents => "零事故", _ => "零案件" };

    /// <summary>The alert of a change that broke one or more zeros: orange when a 三零 village loses its standing, yellow for a further zero broken.</summary>
    public static Signal Signal(ThreeZeroChange change, Villages villages, Dictionary<string, string> names)
    {
        var (before, after) = (change.Before, change.After);
        var name = ScoreAlerts.Name(names, change.Village);
        var lost = string.Join("、", change.Lost.Select(Zero));
        var earlier = Enum.GetValues<ThreeZeroKind>().Where(k => !before.Holds(k)).Select(Zero).ToList();
        var grids = villages.Grids[villages.Codes.ToList().IndexOf(change.Village)];
        return new Signal(ThreeZero.Detector, change.Village, [.. grids.Select(g => villages.GridCodes[g])], change.LostStatus ? "orange" : "yellow",
            change.LostStatus ? $"{name}失去“三零”村（社区）称号（{lost}被打破）" : $"{name}“三零”又被打破一项：{lost}",
            $"三零状态变化：{name}今年（{after.From:MM-dd} 至 {after.To:MM-dd}）越级上访 {after.Petitions} 起、事故 {after.Accidents} 起、刑事案件 {after.Cases} 起，" +
            $"“{lost}”被打破" + (change.LostStatus ? "，此前三项均为零，本村不再是三零村" : $"（此前已打破：{string.Join("、", earlier)}）") +
            $"。涉及事件编号 {string.Join("、", after.Breaking.TakeLast(10))}。请乡镇综治中心核实情况、跟进化解。",
            after.Petitions + after.Accidents + after.Cases, 0, null, null, after.To, after.To);
    }
}
