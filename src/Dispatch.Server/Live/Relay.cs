using Dispatch.Server.Database;
using Microsoft.Extensions.Options;

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
        WITH next AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM outbox WHERE seq IS NULL ORDER BY id LIMIT @limit),
             head AS (SELECT coalesce(max(seq), 0) AS seq FROM outbox)
        UPDATE outbox o SET seq = head.seq + next.n FROM next, head WHERE o.id = next.id
        RETURNING o.seq, o.type, o.at, o.scope, o.staff_ids AS staffids, o.to_field AS tofield, o.data::text AS data, o.also_scopes AS alsoscopes
        """;

    /// <summary>Whether this server holds the relay's lock now.</summary>
    public bool IsRelaying { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Relay) return;
        await startup.WhenReadyAsync(ct);
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
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key = LockKey }, cancellationToken: ct))) return;

        IsRelaying = true;
        log.LogInformation("本节点开始转发实时事件");
        var woken = false;
        conn.Notification += (_, _) => woken = true;
        await conn.ExecuteAsync(new CommandDefinition("LISTEN dispatch_outbox", cancellationToken: ct));

        // What a previous relay numbered but may not have published.
        var (published, head) = await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT (SELECT published_seq FROM relay_cursor), (SELECT coalesce(max(seq), 0) FROM outbox)", cancellationToken: ct));
        if (head > published)
            await PublishAsync(conn, await History.QueryAsync(conn, $"SELECT {History.Columns} FROM outbox WHERE seq > @published ORDER BY seq", new { published }, ct), ct);

        while (!ct.IsCancellationRequested)
        {
            woken = false;
            var batch = await History.QueryAsync(conn, Sequence, new { limit = options.Value.RelayBatch }, ct);
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
        await conn.ExecuteAsync(new CommandDefinition("UPDATE relay_cursor SET published_seq = greatest(published_seq, @seq)",
            new { seq = batch[^1].Seq }, cancellationToken: ct));
    }
}
