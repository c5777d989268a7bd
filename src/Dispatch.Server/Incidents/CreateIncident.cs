using System.Security.Cryptography;
using Dispatch.Server.Live;
using Dispatch.Server.Privacy;
using Dispatch.Server.Regions;
using Dispatch.Server.Supervision;

namespace Dispatch.Server.Incidents;

/// <param name="Parties">The parties of a dispute (当事人), sealed like the reporter and linked by keyed hashes (<see cref="Parties"/>).</param>
public sealed record CreateIncidentRequest(string? CategoryCode, string? Description, double? Lon, double? Lat,
    int? Priority, string? Source, string? ReporterName, string? ReporterPhone, IReadOnlyList<NewParty>? Parties = null);

/// <summary>
/// Intake: validate, place the point in its grid, protect the reporter, flag a likely duplicate,
/// and commit before answering 201 — an acknowledged report is a committed one. With an
/// <c>Idempotency-Key</c>, the same key and body give the same incident however often they come.
/// </summary>
public static class CreateIncident
{
    public const int MaxBodyBytes = 1 << 20;
    /// <summary>A UUID is 36; room for any client's scheme, not for an 8,000-character key in every index page.</summary>
    public const int MaxIdempotencyKey = 128;
    static readonly string[] Sources = ["grid_worker", "hotline", "walk_in", "police_transfer", "online"];

    const string Insert = """
        WITH twin AS (
            SELECT i.id FROM incident i
            WHERE i.category_code = @CategoryCode AND i.created_at > now() - interval '24 hours'
              AND i.status NOT IN ('rejected', 'cancelled')
              -- the box (≥ 200 m at Hebi's latitude) lets the GiST index find candidates; the spheroid decides
              AND i.location && ST_Expand(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 0.003)
              AND ST_DWithin(i.location::geography, ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326)::geography, 200)
            ORDER BY i.location <-> ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326) LIMIT 1),
        created AS (
            INSERT INTO incident (status, category_code, priority, description, location, grid_code, village_code, township_code,
                                  district_code, source, reporter_name, reporter_phone, duplicate_of, created_by, due_at, warn_at, sla_next_at, level, centre_code)
            VALUES ('reported', @CategoryCode, @Priority, @Description, ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), @GridCode, @VillageCode,
                    @TownshipCode, @DistrictCode, @Source, @ReporterName, @ReporterPhone, (SELECT id FROM twin), @CreatedBy, @Due, @Warn, @Warn, @Level, @CentreCode)
            RETURNING *),
        live AS (
            -- The live event commits with the report, or not at all (the transactional outbox).
            INSERT INTO outbox (type, scope, to_field, data)
            SELECT @EventType, c.grid_code, true, live_incident(ROW(c.*)::incident, (SELECT name FROM category WHERE code = @CategoryCode), 'report', @CreatedBy)
            FROM created c)
        INSERT INTO incident_event (incident_id, actor, action, to_status, location)
        SELECT id, @CreatedBy, 'report', 'reported', ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326) FROM created
        RETURNING incident_id
        """;

    public static async Task<IResult> Handle(HttpContext http, NpgsqlDataSource db, GridLocator locator, PersonalData personal,
        WorkingCalendar calendar, TimeProvider clock, Parties parties, CancellationToken ct)
    {
        var caller = http.Caller();
        var raw = await ReadBodyAsync(http, ct);
        var (parsed, malformed) = JsonBody.Read<CreateIncidentRequest>(http, raw);
        if (parsed is not { } body) return malformed!;
        if (Validate(body) is { Count: > 0 } errors) return Problems.Invalid(errors);
        if (Parties.Validate(body.Parties) is { Count: > 0 } partyErrors) return Problems.Invalid(partyErrors);
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > MaxIdempotencyKey || key.Any(c => c is < '!' or > '~'))
            return Problems.Invalid("Idempotency-Key", $"Idempotency-Key 须为不超过 {MaxIdempotencyKey} 个可见 ASCII 字符（如一个 UUID）。");

        var place = locator.Locate(body.Lon!.Value, body.Lat!.Value);
        if (place is null) return Problems.Unprocessable("该位置不在鹤壁市范围内。", "lon");
        if (!caller.Is(Roles.Field) && !caller.Covers(place.GridCode))
            return Problems.Forbidden("该位置不在您的辖区内。");

        var hash = SHA256.HashData(raw);
        await using var conn = await db.OpenConnectionAsync(ct);
        if (key.Length > 0 && await ReplayAsync(conn, caller, key, hash, personal, http, ct) is { } earlier) return earlier;

        if (await CategorySla.FindAsync(conn, null, body.CategoryCode!, (short?)body.Priority, ct) is not { } sla)
            return Problems.Invalid("categoryCode", $"没有编码为 {body.CategoryCode} 的事件类别。");
        var priority = (short)(body.Priority ?? sla.DefaultPriority);
        var due = StageClock.Start(calendar, clock.GetUtcNow(), sla.AcceptMinutes, sla.WorkingHours);

        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await InsertAsync(conn, tx, new NewIncident(body.CategoryCode!, body.Lon!.Value, body.Lat!.Value, priority, body.Description!.Trim(),
            place, body.Source ?? DefaultSource(caller), personal.Protect(body.ReporterName?.Trim()), personal.Protect(body.ReporterPhone?.Trim()),
            caller.Username, due, Centres.Of(place, sla.StartLevel)), ct);
        if (body.Parties is { Count: > 0 } named) await parties.AddAsync(conn, tx, id, named, caller.Username, ct);

        if (key.Length > 0)
        {
            if (await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO idempotency_key (username, key, request_hash, incident_id) VALUES (@username, @key, @hash, @id) ON CONFLICT DO NOTHING",
                    new { username = caller.Username, key, hash, id }, tx, cancellationToken: ct)) == 0)
            {
                // Another request with the same key won the race: ours never happened, theirs is the answer.
                await tx.RollbackAsync(ct);
                return await ReplayAsync(conn, caller, key, hash, personal, http, ct) ?? throw new InvalidOperationException("Idempotency row vanished.");
            }
        }
        await tx.CommitAsync(ct);
        return await CreatedAsync(conn, id, caller, personal, http, ct);
    }

    /// <summary>A located, validated report, its personal data already sealed.</summary>
    internal sealed record NewIncident(string CategoryCode, double Lon, double Lat, short Priority, string Description, GridPlace Place,
        string Source, byte[]? ReporterName, byte[]? ReporterPhone, string CreatedBy, StageClock Sla, string CentreCode);

    /// <summary>
    /// Writes the incident, its first timeline entry and its live event inside <paramref name="tx"/>:
    /// the one way an incident comes to exist (intake, and a task made from an early-warning alert).
    /// </summary>
    internal static async Task<long> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, NewIncident n, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            n.CategoryCode, n.Lon, n.Lat, n.Priority, n.Description, n.Place.GridCode, n.Place.VillageCode, n.Place.TownshipCode,
            n.Place.DistrictCode, n.Source, n.ReporterName, n.ReporterPhone, n.CreatedBy, Due = n.Sla.Due, Warn = n.Sla.Warn, n.CentreCode, Level = Centres.LevelOf(n.CentreCode), EventType = EventTypes.IncidentCreated,
        }, tx, cancellationToken: ct));

    static async Task<IResult?> ReplayAsync(NpgsqlConnection conn, CurrentUser caller, string key, byte[] hash, PersonalData personal,
        HttpContext http, CancellationToken ct)
    {
        var earlier = await conn.QuerySingleOrDefaultAsync<Remembered>(new CommandDefinition(
            "SELECT incident_id, request_hash FROM idempotency_key WHERE username = @username AND key = @key",
            new { username = caller.Username, key }, cancellationToken: ct));
        if (earlier is null) return null;
        if (!earlier.RequestHash.AsSpan().SequenceEqual(hash))
            return Problems.Unprocessable("该 Idempotency-Key 已用于另一个不同的请求。", "Idempotency-Key");
        return await CreatedAsync(conn, earlier.IncidentId, caller, personal, http, ct);
    }

    sealed record Remembered(long IncidentId, byte[] RequestHash);

    static async Task<IResult> CreatedAsync(NpgsqlConnection conn, long id, CurrentUser caller, PersonalData personal, HttpContext http, CancellationToken ct)
    {
        var view = await GetIncident.LoadAsync(conn, null, id, caller, personal, ct);
        if (view is null) return TypedResults.Accepted($"/api/incidents/{id}"); // reported outside the reporter's own view
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Created($"/api/incidents/{id}", view);
    }

    static string DefaultSource(CurrentUser caller) => caller.Is(Roles.Field) ? "grid_worker" : "hotline";

    /// <summary>The body as bytes (hashed for idempotency), refused with 413 beyond 1 MB.</summary>
    static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }


    static Dictionary<string, string[]> Validate(CreateIncidentRequest b)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(b.CategoryCode)) errors["categoryCode"] = ["请选择事件类别。"];
        if (string.IsNullOrWhiteSpace(b.Description)) errors["description"] = ["请填写事件描述。"];
        else if (b.Description.Length > 4000) errors["description"] = ["事件描述不能超过 4000 字。"];
        if (b.Lon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) errors["lon"] = ["lon 应为 -180 到 180 之间的经度。"];
        if (b.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) errors["lat"] = ["lat 应为 -90 到 90 之间的纬度。"];
        if (b.Priority is < 1 or > 4) errors["priority"] = ["优先级应为 1（紧急）到 4（一般）。"];
        if (b.Source is not null && !Sources.Contains(b.Source)) errors["source"] = [$"来源应为 {string.Join("、", Sources)} 之一。"];
        if (b.ReporterName is { Length: > 50 }) errors["reporterName"] = ["姓名不能超过 50 字。"];
        foreach (var (field, text) in new[] { ("description", b.Description), ("reporterName", b.ReporterName) })
            if (text?.Contains('\0') == true) errors[field] = ["不能包含空字符（U+0000）。"];
        if (b.ReporterPhone is { } phone && !System.Text.RegularExpressions.Regex.IsMatch(phone.Trim(), @"^\+?[0-9][0-9\- ]{4,19}$"))
            errors["reporterPhone"] = ["电话号码格式不正确。"];
        return errors;
    }
}
