using System.Diagnostics;
using Dispatch.Server.Database;
using Dispatch.Simulation.History;
using NetTopologySuite.Geometries;
using NpgsqlTypes;

namespace Dispatch.Server.Cli;

/// <summary>
/// <c>generate-history</c>: writes a city's past (<see cref="HistoryGenerator"/>) into the database
/// in bulk — binary COPY of incidents, their timelines, assignments, 督办, escalations and
/// follow-ups, a batch of cases per transaction (a batch is all there or not at all) — without live
/// events: walls and consoles see the past at their next read, as history should arrive.
/// Reporters are sealed like any intake's. Prints a progress line per batch.
/// </summary>
public static class GenerateHistoryCommand
{
    const int Batch = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(HistoryOptions.Usage);
            return 0;
        }
        var (options, error) = HistoryOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine($"{error}\n\n{HistoryOptions.Usage}");
            return 2;
        }
        // The server's own start (migrations, geography, demo staff), on a port of its own, without the simulated city or
        // background work (a scoring run would see half a past), and leaving a serving server's cluster running when it is done.
        await using var app = await DispatchApp.BuildAsync(["--urls", "http://127.0.0.1:0", "--Simulation:Enabled=false", "--Background:Enabled=false", "--Demo:HistoryDays=0",
            "--Database:KeepAdopted=true",
            "--Banner:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
        var state = app.Services.GetRequiredService<StartupState>();
        await app.StartAsync();
        try { await state.WhenReadyAsync(app.Lifetime.ApplicationStopping); } catch (OperationCanceledException) { }
        if (!state.IsReady)
        {
            Console.Error.WriteLine("数据库未就绪 / the database did not start");
            return 1;
        }
        var written = await WriteAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), app.Services.GetRequiredService<Privacy.PersonalData>(),
            options, Console.WriteLine, app.Lifetime.ApplicationStopping);
        await app.StopAsync();
        return written >= 0 ? 0 : 1;
    }

    /// <summary>Generates and writes the past; the number of incidents written.</summary>
    public static async Task<long> WriteAsync(NpgsqlDataSource db, Privacy.PersonalData personal, HistoryOptions options, Action<string> progress,
        CancellationToken ct)
    {
        var (places, categories) = await LoadCityAsync(db, ct);
        var generator = new HistoryGenerator(options, places, categories);
        var clock = Stopwatch.StartNew();
        long total = 0;
        var batch = new List<PastCase>(Batch);
        progress($"生成历史 / generating history: {options.Days} 天，每日约 {options.RatePerDay:N0} 件，种子 {options.Seed}，截至 {options.Until.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}");
        foreach (var c in generator.Cases())
        {
            batch.Add(c);
            if (batch.Count < Batch) continue;
            total += await WriteBatchAsync(db, personal, batch, ct);
            progress($"  {total,9:N0} 件 / incidents, 至 {batch[^1].ReportedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd} ({clock.Elapsed.TotalSeconds:N0} s)");
            batch.Clear();
        }
        if (batch.Count > 0) total += await WriteBatchAsync(db, personal, batch, ct);
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            // The planner needs fresh statistics after a bulk load, and the KPIs' index-only reads a visibility map.
            foreach (var table in new[] { "incident", "incident_event", "assignment", "supervision_order", "escalation", "follow_up" })
                await conn.ExecuteAsync(new CommandDefinition($"VACUUM (ANALYZE) {table}", cancellationToken: ct, commandTimeout: 1800));
        }
        progress($"完成 / done: {total:N0} 件事件 in {clock.Elapsed.TotalSeconds:N0} s");
        return total;
    }

    sealed record PlaceRow(string Code, string Name, double Lon, double Lat, long[] StaffIds, string[] StaffCodes, string[] StaffKinds);
    sealed record CategoryRow(string Code, int Priority, int AcceptMinutes, int ArriveMinutes, int ResolveMinutes, string StartLevel, string[] Roles);

    static async Task<(List<HistoryPlace>, Dictionary<string, HistoryCategory>)> LoadCityAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // A grid's worker lives in it; a village's police officer, mediator and legal adviser have its first grid as home.
        var places = (await conn.QueryAsync<PlaceRow>(new CommandDefinition("""
            SELECT g.code, g.name, ST_X(g.service_point) AS lon, ST_Y(g.service_point) AS lat,
                   coalesce(array_agg(s.id ORDER BY s.kind, s.id) FILTER (WHERE s.id IS NOT NULL), '{}') AS staff_ids,
                   coalesce(array_agg(s.code ORDER BY s.kind, s.id) FILTER (WHERE s.id IS NOT NULL), '{}') AS staff_codes,
                   coalesce(array_agg(s.kind ORDER BY s.kind, s.id) FILTER (WHERE s.id IS NOT NULL), '{}') AS staff_kinds
            FROM grid g
            LEFT JOIN staff s ON s.grid_code = g.code
                              OR (s.kind <> 'grid_worker' AND s.grid_code = (SELECT min(code) FROM grid v WHERE v.village_code = g.village_code))
            GROUP BY g.code ORDER BY g.code
            """, cancellationToken: ct, commandTimeout: 120))).Select(r =>
        {
            var staff = new Dictionary<string, (long, string)>();
            for (var i = 0; i < r.StaffIds.Length; i++) staff.TryAdd(r.StaffKinds[i], (r.StaffIds[i], r.StaffCodes[i]));
            return new HistoryPlace(r.Code, r.Name, r.Lon, r.Lat, staff);
        }).ToList();
        var categories = (await conn.QueryAsync<CategoryRow>(new CommandDefinition("""
            SELECT code, priority::int, accept_minutes, arrive_minutes, resolve_minutes, start_level, roles FROM category
            """, cancellationToken: ct))).ToDictionary(c => c.Code,
            c => new HistoryCategory(c.Code, c.Priority, c.AcceptMinutes, c.ArriveMinutes, c.ResolveMinutes, c.StartLevel, c.Roles));
        return (places, categories);
    }

    /// <summary>
    /// One batch in one transaction. Ids are taken from the tables' own sequences, a block at a
    /// time, while writes to those tables wait (the lock): the live platform may run beside it.
    /// </summary>
    static async Task<int> WriteBatchAsync(NpgsqlDataSource db, Privacy.PersonalData personal, List<PastCase> cases, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "LOCK TABLE incident, incident_event, assignment, supervision_order, escalation, follow_up IN SHARE ROW EXCLUSIVE MODE", transaction: tx,
            cancellationToken: ct));
        async Task<long> Reserve(string table, long n) => n == 0 ? 0 : await conn.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT setval(pg_get_serial_sequence('{table}', 'id'), nextval(pg_get_serial_sequence('{table}', 'id')) + @n - 1) - @n + 1
            """, new { n }, tx, cancellationToken: ct));
        var incidentId = await Reserve("incident", cases.Count);
        var eventId = await Reserve("incident_event", cases.Sum(c => c.Steps.Count));
        var assignmentId = await Reserve("assignment", cases.Count(c => c.Assignment is not null));
        var orderId = await Reserve("supervision_order", cases.Count(c => c.Order is not null));
        var escalationId = await Reserve("escalation", cases.Count(c => c.Escalation is not null));
        var followUpId = await Reserve("follow_up", cases.Count(c => c.FollowUp is not null));

        var firstEvent = new long[cases.Count];
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY incident (id, status, category_code, priority, description, location, grid_code, village_code, township_code, district_code,
                           level, source, reporter_name, reporter_phone, created_by, created_at, updated_at, due_at, centre_code) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                await w.StartRowAsync(ct);
                await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(c.Status, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Category.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync((short)c.Priority, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync(c.Description, NpgsqlDbType.Text, ct);
                await w.WriteAsync((Geometry)new Point(c.Lon, c.Lat) { SRID = 4326 }, ct);
                await w.WriteAsync(c.Place.Grid, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Place.Village, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Place.Township, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Place.District, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Level, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Source, NpgsqlDbType.Text, ct);
                await WriteOrNull(w, personal.Protect(c.ReporterName), NpgsqlDbType.Bytea, ct);
                await WriteOrNull(w, personal.Protect(c.ReporterPhone), NpgsqlDbType.Bytea, ct);
                await w.WriteAsync(c.Steps[0].Actor, NpgsqlDbType.Text, ct);
                await WriteAt(w, c.ReportedAt, ct);
                await WriteAt(w, c.UpdatedAt, ct);
                await WriteAt(w, c.DueAt, ct);
                await w.WriteAsync(c.Centre, NpgsqlDbType.Text, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY incident_event (id, incident_id, at, actor, action, from_status, to_status, note, location, due_at, grid_code, reported_at, repeated)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var id = eventId;
            var done = new HashSet<string>();
            for (var i = 0; i < cases.Count; i++)
            {
                firstEvent[i] = id;
                done.Clear();
                foreach (var s in cases[i].Steps)
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(id++, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                    await WriteAt(w, s.At, ct);
                    await w.WriteAsync(s.Actor, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(s.Action, NpgsqlDbType.Text, ct);
                    await WriteOrNull(w, s.From, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(s.To, NpgsqlDbType.Text, ct);
                    await WriteOrNull(w, s.Note, NpgsqlDbType.Text, ct);
                    if (s.Action == "report") await w.WriteAsync((Geometry)new Point(cases[i].Lon, cases[i].Lat) { SRID = 4326 }, ct);
                    else await w.WriteNullAsync(ct);
                    await WriteAt(w, s.DueAt, ct);
                    // The step's place and report time (migration 0026), and whether its case had this action before (0028, 0031).
                    await w.WriteAsync(cases[i].Place.Grid, NpgsqlDbType.Text, ct);
                    await WriteAt(w, cases[i].ReportedAt, ct);
                    await w.WriteAsync(!done.Add(s.Action), NpgsqlDbType.Boolean, ct);
                }
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY assignment (id, incident_id, staff_id, role, status, assigned_by, assigned_at, responded_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var id = assignmentId;
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Assignment is not { } a) continue;
                await w.StartRowAsync(ct);
                await w.WriteAsync(id++, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(a.StaffId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(a.Role, NpgsqlDbType.Text, ct);
                await w.WriteAsync("released", NpgsqlDbType.Text, ct); // the past holds no live assignment (HistoryGenerator)
                await w.WriteAsync("dispatcher-" + cases[i].Centre, NpgsqlDbType.Text, ct);
                await WriteAt(w, a.AssignedAt, ct);
                await WriteAt(w, a.RespondedAt ?? cases[i].UpdatedAt, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY supervision_order (id, incident_id, ordered_by, ordered_at, centre_code, due_by, note, status, done_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var id = orderId;
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Order is not { } o) continue;
                await w.StartRowAsync(ct);
                await w.WriteAsync(id++, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(o.OrderedBy, NpgsqlDbType.Text, ct);
                await WriteAt(w, o.OrderedAt, ct);
                await w.WriteAsync(cases[i].Centre, NpgsqlDbType.Text, ct);
                await WriteAt(w, o.DueBy, ct);
                await w.WriteAsync(o.Note, NpgsqlDbType.Text, ct);
                await w.WriteAsync(o.DoneAt is null ? "open" : "done", NpgsqlDbType.Text, ct);
                await WriteAt(w, o.DoneAt, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY escalation (id, incident_id, cause, from_centre, to_centre, reason, by_user, at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var id = escalationId;
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Escalation is not { } e) continue;
                await w.StartRowAsync(ct);
                await w.WriteAsync(id++, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.Cause, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.FromCentre, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.ToCentre, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Reason, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.By, NpgsqlDbType.Text, ct);
                await WriteAt(w, e.At, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY follow_up (id, incident_id, closing_event, due_on, centre_code, status, result, done_by, done_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            var id = followUpId;
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].FollowUp is not { } f) continue;
                await w.StartRowAsync(ct);
                await w.WriteAsync(id++, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(incidentId + i, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(firstEvent[i] + f.ClosingStep, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(f.DueOn, NpgsqlDbType.Date, ct);
                await w.WriteAsync(f.Centre, NpgsqlDbType.Text, ct);
                await w.WriteAsync(f.Result is null ? "due" : "done", NpgsqlDbType.Text, ct);
                await WriteOrNull(w, f.Result, NpgsqlDbType.Text, ct);
                await WriteOrNull(w, f.DoneBy, NpgsqlDbType.Text, ct);
                await WriteAt(w, f.DoneAt, ct);
            }
            await w.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        return cases.Count;
    }

    static Task WriteOrNull<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : class =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, type, ct);

    /// <summary>A moment, in UTC (timestamptz takes no other offset), or null.</summary>
    static Task WriteAt(NpgsqlBinaryImporter w, DateTimeOffset? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct) : w.WriteNullAsync(ct);
}
