using Dispatch.Server.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Live;

/// <summary>
/// Publishes committed outbox rows. One server relays at a time — the one holding a PostgreSQL
/// advisory lock on its own connection; the others wait, and when the relaying server dies its
/// session ends, the lock frees and the next takes over within <see cref="LiveOptions.StandbyPoll"/>.
/// The relay numbers the committed rows it finds (seq: gap-free, in the order published),
/// publishes them, then records how far it got; a new relay first re-publishes whatever came after
/// that record, so an event committed just before a crash is still published (servers drop a seq
/// they already have). Woken by NOTIFY at each commit, and every second regardless.
/// </summary>
public sealed class Relay(DatabaseAddress address, IEventBus bus, StartupState startup,
    IOptions<LiveOptions> options, ILogger<Relay> log) : BackgroundService
{
    // Any constant both sides agree on: "dispatch live relay".
    const long LockKey = 0x64_69_73_70_6c_69_76_65;

    const string Sequence = """
        WITH next AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM outbox WHERE seq IS NULL ORDER BY id LIMIT $1),
             head AS (SELECT coalesce(max(seq), 0) AS seq FROM outbox)
        UPDATE outbox o SET seq = head.seq + next.n FROM next, head WHERE o.id = next.id
        RETURNING o.seq, o.type, o.at, o.scope, o.staff_ids, o.to_field, o.data::text
        """;

    /// <summary>Whether this server holds the relay's lock now.</summary>
    public bool IsRelaying { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Relay) return;
        while (!startup.IsReady) await Task.Delay(200, ct);
        while (!ct.IsCancellationRequested)
        {
            try { await RelayWhileLeaderAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Whatever went wrong (database, Redis, a bug), the relay must come back: a host that
                // stops on a background exception would take the whole server down with it.
                log.LogWarning(e, "事件转发中断，稍后重试：{Message}", e.Message);
            }
            finally { IsRelaying = false; }
            try { await Task.Delay(options.Value.StandbyPoll, ct); } catch (OperationCanceledException) { }
        }
    }

    async Task RelayWhileLeaderAsync(CancellationToken ct)
    {
        // A connection of its own, outside the pool: the lock lives and dies with this session.
        var csb = new NpgsqlConnectionStringBuilder(address.ConnectionString) { Pooling = false, KeepAlive = 5, ApplicationName = "dispatch-relay" };
        await using var conn = new NpgsqlConnection(csb.ConnectionString);
        await conn.OpenAsync(ct);
        if (!await ScalarAsync<bool>(conn, "SELECT pg_try_advisory_lock($1)", ct, LockKey)) return;

        IsRelaying = true;
        log.LogInformation("本节点开始转发实时事件");
        var woken = false;
        conn.Notification += (_, _) => woken = true;
        await ScalarAsync<object>(conn, "LISTEN dispatch_outbox", ct);

        // What a previous relay numbered but may not have published.
        var published = await ScalarAsync<long>(conn, "SELECT published_seq FROM relay_cursor", ct);
        var head = await ScalarAsync<long>(conn, "SELECT coalesce(max(seq), 0) FROM outbox", ct);
        if (head > published)
        {
            await using var unpublished = new NpgsqlCommand("SELECT seq, type, at, scope, staff_ids, to_field, data::text FROM outbox WHERE seq > $1 ORDER BY seq", conn)
                { Parameters = { new() { Value = published } } };
            await PublishAsync(conn, await History.ReadAsync(unpublished, ct), ct);
        }

        while (!ct.IsCancellationRequested)
        {
            woken = false;
            await using var sequence = new NpgsqlCommand(Sequence, conn) { Parameters = { new() { Value = options.Value.RelayBatch } } };
            var batch = await History.ReadAsync(sequence, ct);
            if (batch.Count > 0)
            {
                batch.Sort((a, b) => a.Seq.CompareTo(b.Seq));
                await PublishAsync(conn, batch, ct);
                if (batch.Count == options.Value.RelayBatch) continue;
            }
            if (!woken) await conn.WaitAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    async Task PublishAsync(NpgsqlConnection conn, List<Published> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        await bus.PublishAsync(batch, ct);
        await ScalarAsync<object>(conn, "UPDATE relay_cursor SET published_seq = greatest(published_seq, $1)", ct, batch[^1].Seq);
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await cmd.ExecuteScalarAsync(ct) ?? default(T)!);
    }
}
