using Dispatch.Server.Staff;

namespace Dispatch.Server.Incidents;

/// <summary>
/// Dispatch to one person or a composite team: people of the caller's own area (anyone else is
/// "not found", named by id only), one for each role the category needs that no live member
/// fills yet — so a team is completed, or a member who declined (or stayed silent past the acknowledge
/// time) replaced, never padded — and
/// each free now (no double-booking). The people are locked, assigned and marked busy.
/// </summary>
static class AssignStaff
{
    static readonly string FindSql = $"""
        SELECT id, name, kind, status FROM staff WHERE id = ANY (@ids) AND {CurrentUser.CoversSql("@region")} ORDER BY id FOR UPDATE;
        SELECT role FROM assignment WHERE incident_id = @incidentId AND (status = 'acknowledged' OR (status = 'pending' AND ack_warned_at IS NULL))
        """;

    // A member who stayed silent past the acknowledge time (SlaWatch named them) gives way to the one sent for their role.
    const string ReplaceSilent = """
        WITH replaced AS (
            UPDATE assignment SET status = 'replaced', responded_at = now()
            WHERE incident_id = @incidentId AND status = 'pending' AND ack_warned_at IS NOT NULL AND role = ANY (@roles)
            RETURNING staff_id)
        UPDATE staff SET status = 'available' WHERE status = 'busy' AND id IN (SELECT staff_id FROM replaced)
        """;

    sealed record Person(long Id, string Name, string Kind, string Status);

    /// <summary>The refusal to answer, or null when the team was assigned.</summary>
    public static async Task<IResult?> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IncidentState incident, CurrentUser caller,
        long[]? staffIds, CancellationToken ct)
    {
        var ids = staffIds?.Distinct().ToArray() ?? [];
        if (ids.Length is 0 or > 10) return Problems.Invalid("staffIds", "请选择 1 到 10 名处置人员。");
        List<Person> found;
        var open = incident.Roles.ToList();
        await using (var read = await conn.QueryMultipleAsync(new CommandDefinition(FindSql,
                         new { ids, region = caller.RegionCode, incidentId = incident.Id }, tx, cancellationToken: ct)))
        {
            found = (await read.ReadAsync<Person>()).ToList();
            foreach (var role in await read.ReadAsync<string>()) open.Remove(role);
        }
        if (found.Count != ids.Length)
            return Problems.Invalid("staffIds", $"找不到人员，或不在您的辖区内：{string.Join("、", ids.Except(found.Select(f => f.Id)))}。");

        foreach (var person in found)
            if (!open.Remove(person.Kind))
                return Problems.Invalid("staffIds", open.Count == 0 && found.Count == 1
                    ? $"该事件需要的处置人员（{Names(incident.Roles)}）均已派遣，不能再增派；如有人拒单，可补派其角色。"
                    : $"{person.Name}（{StaffKinds.NameOf(person.Kind)}）不是该事件尚缺的角色。该事件需要：{Names(incident.Roles)}；尚缺：{(open.Count == 0 ? "无" : Names(open))}。");
        if (found.Where(f => f.Status != "available").Select(f => f.Name).ToList() is { Count: > 0 } busy)
            return Problems.Conflict($"{string.Join("、", busy)} 当前不可派遣（忙碌或不在岗）。");

        await conn.ExecuteAsync(new CommandDefinition(ReplaceSilent, new { incidentId = incident.Id, roles = found.Select(f => f.Kind).ToArray() },
            tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO assignment (incident_id, staff_id, role, assigned_by)
            SELECT @incidentId, s.id, s.kind, @assignedBy FROM staff s WHERE s.id = ANY (@ids) ORDER BY s.id;
            UPDATE staff SET status = 'busy' WHERE id = ANY (@ids)
            """, new { incidentId = incident.Id, ids, assignedBy = caller.Username }, tx, cancellationToken: ct));
        return null;
    }

    static string Names(IEnumerable<string> kinds) => string.Join("、", kinds.Select(StaffKinds.NameOf));
}
