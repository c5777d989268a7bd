using System.Text.RegularExpressions;
using Dispatch.Server.Privacy;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

public sealed record NewParty(string? Role, string? Name, string? IdNumber, string? Phone);
public sealed record NewParties(IReadOnlyList<NewParty>? Parties);

/// <param name="Role"><c>applicant</c> (申请人), <c>respondent</c> (被申请人) or <c>other</c>.</param>
public sealed record PartyView(long Id, string Role, string? Name, string? IdNumber, string? Phone);

/// <param name="LinkedTo">The earlier case between the same parties, when the caller may see it.</param>
public sealed record IncidentParties(long IncidentId, long? LinkedTo, IReadOnlyList<PartyView> Parties);

/// <summary>
/// 当事人: the parties of a dispute, at intake or later — sealed like the reporter (PIPL), with keyed
/// hashes of their ID number and phone (<see cref="PersonalData.LinkKey"/>) so that a new case
/// between the same parties within <c>Supervision:RepeatPartyDays</c> (90) links to the earlier one
/// and climbs to the next centre (the village's mediation did not hold), once; the early-warning
/// run reads the same keys for repeat parties and escalating disputes (民转刑).
/// </summary>
public sealed partial class Parties(PersonalData personal, WorkingCalendar calendar, TimeProvider clock, IConfiguration config)
{
    public const int MaxParties = 20;
    static readonly string[] RolesAllowed = ["applicant", "respondent", "other"];
    readonly int _days = config.GetValue("Supervision:RepeatPartyDays", 90);

    [GeneratedRegex("^[0-9]{17}[0-9Xx]$")] private static partial Regex IdNumber();
    [GeneratedRegex("^(\\+?86)?1[3-9][0-9]{9}$")] private static partial Regex MobilePattern();

    /// <summary>Every bad field, named as <c>parties[i].field</c> under <paramref name="prefix"/>.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<NewParty>? parties, string prefix = "parties")
    {
        var errors = new Dictionary<string, string[]>();
        if (parties is null) return errors;
        if (parties.Count > MaxParties) errors[prefix] = [$"当事人最多 {MaxParties} 位。"];
        for (var i = 0; i < Math.Min(parties.Count, MaxParties); i++)
        {
            var (p, at) = (parties[i], $"{prefix}[{i}]");
            if (p is null) { errors[at] = ["当事人不能为空。"]; continue; }
            if (p.Role is null || !RolesAllowed.Contains(p.Role)) errors[$"{at}.role"] = ["role 应为 applicant（申请人）、respondent（被申请人）或 other。"];
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name.Trim().Length > 50) errors[$"{at}.name"] = ["姓名不能为空，且不超过 50 字。"];
            if (p.IdNumber is { } id && !IdNumber().IsMatch(id.Trim())) errors[$"{at}.idNumber"] = ["身份证号应为 18 位（末位可为 X）。"];
            if (p.Phone is { } phone && !MobilePattern().IsMatch(Digits(phone))) errors[$"{at}.phone"] = ["手机号应为 11 位，以 1 开头。"];
        }
        return errors;
    }

    static string Digits(string phone) => new([.. phone.Where(c => char.IsDigit(c) || c == '+')]);

    /// <summary>"+86 139 3034 7624" → "13930347624": the mobile number alone, as kept and as hashed.</summary>
    static string Mobile(string phone) => Digits(phone).TrimStart('+').TrimStartOnce("86");

    IEnumerable<string> KeysOf(NewParty p)
    {
        if (p.IdNumber is { } id) yield return personal.LinkKey("id:" + id.Trim().ToUpperInvariant());
        if (p.Phone is { } phone) yield return personal.LinkKey("tel:" + Mobile(phone));
    }

    const string Insert = """
        INSERT INTO incident_party (incident_id, role, name, id_number, phone, link_keys, created_by)
        VALUES (@incidentId, @role, @name, @idNumber, @phone, @keys, @by)
        """;

    const string Earlier = """
        SELECT i.id FROM incident i
        WHERE i.id <> @incidentId AND i.created_at > @since AND i.duplicate_of IS NULL AND i.status NOT IN ('rejected', 'cancelled')
          AND EXISTS (SELECT 1 FROM incident_party p WHERE p.incident_id = i.id AND p.link_keys && @keys)
        ORDER BY i.created_at DESC LIMIT 1
        """;

    /// <summary>
    /// Adds the parties inside the caller's transaction, then links the case to the latest earlier one
    /// sharing a party and escalates it (cause <see cref="Escalations.RepeatParties"/>) while it is open
    /// below the district. The incident must be locked by the caller (intake: just inserted).
    /// </summary>
    public async Task AddAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long incidentId, IReadOnlyList<NewParty> parties, string by,
        CancellationToken ct)
    {
        var keys = new HashSet<string>();
        foreach (var p in parties)
        {
            var own = KeysOf(p).ToArray();
            keys.UnionWith(own);
            await conn.ExecuteAsync(new CommandDefinition(Insert, new
            {
                incidentId, role = p.Role, name = personal.Protect(p.Name!.Trim()), idNumber = personal.Protect(p.IdNumber?.Trim().ToUpperInvariant()),
                phone = personal.Protect(p.Phone is null ? null : Mobile(p.Phone)), keys = own, by,
            }, tx, cancellationToken: ct));
        }
        if (keys.Count == 0) return;
        var earlier = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Earlier, new
        {
            incidentId, keys = keys.ToArray(), since = clock.GetUtcNow().AddDays(-_days),
        }, tx, cancellationToken: ct));
        if (earlier is not { } linked) return;
        var centre = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "UPDATE incident SET linked_to = coalesce(linked_to, @linked) WHERE id = @incidentId RETURNING centre_code",
            new { incidentId, linked }, tx, cancellationToken: ct));
        if (Centres.LevelOf(centre!) is not ("village" or "township")) return;
        var platform = new CurrentUser(EscalateOverdue.Actor, "平台自动", [Roles.Dispatcher], centre!, null);
        await Transition.StepAsync(conn, tx, incidentId, platform, IncidentAction.Escalate,
            new TransitionRequest("escalate", $"与事件 #{linked} 的当事人相同，{_days} 天内再次发生，调解未能化解，自动上报上级综治中心。", null, null, null),
            expected: null, calendar, clock, ct, Escalations.RepeatParties);
    }

    static readonly string Lock = $"""
        SELECT i.id FROM incident i WHERE i.id = @id AND ({CurrentUser.CoversSql("@region", "i.grid_code")} OR i.centre_code = @region) FOR UPDATE
        """;

    /// <summary><c>POST /api/incidents/{id}/parties</c>: a dispatcher of the area adds parties to a case.</summary>
    public static async Task<IResult> Post(long id, HttpContext http, NpgsqlDataSource db, Parties parties, PersonalData personal, CancellationToken ct)
    {
        var caller = http.Caller();
        var (body, malformed) = await JsonBody.ReadAsync<NewParties>(http, ct);
        if (malformed is not null) return malformed;
        if (body?.Parties is not { Count: > 0 } list) return Problems.Invalid("parties", "请至少给出一位当事人。");
        if (Validate(list) is { Count: > 0 } errors) return Problems.Invalid(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Lock, new { id, region = caller.RegionCode }, tx, cancellationToken: ct)) is null)
            return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        await parties.AddAsync(conn, tx, id, list, caller.Username, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/incidents/{id}/parties", await LoadAsync(conn, id, caller, personal, ct));
    }

    /// <summary><c>GET /api/incidents/{id}/parties</c>: whole for the case's dispatchers and supervisors, masked for everyone else.</summary>
    public static async Task<IResult> Get(long id, HttpContext http, NpgsqlDataSource db, PersonalData personal, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await LoadAsync(conn, id, http.Caller(), personal, ct) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
    }

    static readonly string Read = $"""
        SELECT i.id, (SELECT d.id FROM incident d WHERE d.id = i.linked_to AND {GetIncident.VisibleSql().Replace("i.", "d.")}) AS linked_to
        FROM incident i WHERE i.id = @id AND {GetIncident.VisibleSql()};
        SELECT id, role, name, id_number, phone FROM incident_party WHERE incident_id = @id ORDER BY id
        """;

    sealed record Head(long Id, long? LinkedTo);
    sealed record Row(long Id, string Role, byte[] Name, byte[]? IdNumber, byte[]? Phone);

    static async Task<IncidentParties?> LoadAsync(NpgsqlConnection conn, long id, CurrentUser caller, PersonalData personal, CancellationToken ct)
    {
        await using var read = await conn.QueryMultipleAsync(new CommandDefinition(Read, new { id, region = caller.RegionCode, staff = caller.StaffId },
            cancellationToken: ct));
        if (await read.ReadSingleOrDefaultAsync<Head>() is not { } head) return null;
        var whole = caller.Is(Roles.Dispatcher) || caller.Is(Roles.Supervisor);
        var rows = (await read.ReadAsync<Row>()).Select(r =>
        {
            var (name, idNumber, phone) = (personal.Unprotect(r.Name), personal.Unprotect(r.IdNumber), personal.Unprotect(r.Phone));
            return whole
                ? new PartyView(r.Id, r.Role, name, idNumber, phone)
                : new PartyView(r.Id, r.Role, PersonalData.MaskName(name), idNumber is null ? null : $"{idNumber[..6]}********{idNumber[^4..]}",
                    PersonalData.MaskPhone(phone));
        }).ToList();
        return new IncidentParties(id, head.LinkedTo, rows);
    }
}

static class PhoneText
{
    /// <summary>"8613812345678" → "13812345678": a mobile number without its country code.</summary>
    public static string TrimStartOnce(this string text, string prefix) =>
        text.Length == 13 && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
