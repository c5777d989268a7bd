using System.Text.Json;
using Dispatch.Server.Identity;
using Npgsql;

namespace Dispatch.Server.Live;

/// <summary>Published events read back from the outbox: to fill a server's gap, or to replay a client's.</summary>
public sealed class History(NpgsqlDataSource db)
{
    const string Columns = "seq, type, at, scope, staff_ids, to_field, data::text";

    /// <summary>The highest seq given so far (0 before the first event).</summary>
    public async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(max(seq), 0) FROM outbox");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every event with <paramref name="after"/> &lt; seq ≤ <paramref name="upTo"/>, in order, whoever may see it.</summary>
    public async Task<List<Published>> RangeAsync(long after, long upTo, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM outbox WHERE seq > $1 AND seq <= $2 ORDER BY seq");
        cmd.Parameters.Add(new() { Value = after });
        cmd.Parameters.Add(new() { Value = upTo });
        return await ReadAsync(cmd, ct);
    }

    /// <summary>
    /// The next page, after <paramref name="after"/> and up to <paramref name="upTo"/>, of the events
    /// <paramref name="user"/> may see: the rule of <see cref="FanOut"/> and of GET /api/incidents/{id}.
    /// </summary>
    public async Task<List<Published>> VisiblePageAsync(CurrentUser user, long after, long upTo, int pageSize, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM outbox
            WHERE seq > $1 AND seq <= $2
              AND (({CurrentUser.CoversSql("$3", "scope")} AND (to_field OR NOT $5)) OR staff_ids @> ARRAY[$4::bigint])
            ORDER BY seq LIMIT $6
            """);
        foreach (var value in new object[] { after, upTo, user.RegionCode, (object?)user.StaffId ?? DBNull.Value, user.Is(Roles.Field), pageSize })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        cmd.Parameters[3].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        return await ReadAsync(cmd, ct);
    }

    /// <summary>The lowest seq still kept (older events are purged), or null when none is.</summary>
    public async Task<long?> OldestAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT min(seq) FROM outbox");
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    internal static async Task<List<Published>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var events = new List<Published>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) events.Add(Read(r));
        return events;
    }

    static Published Read(NpgsqlDataReader r)
    {
        using var data = JsonDocument.Parse(r.GetString(6));
        var e = new LiveEvent(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2).ToOffset(Common.Clock.Beijing), data.RootElement.Clone());
        return new Published(e, r.GetString(3), r.GetFieldValue<long[]>(4), r.GetBoolean(5));
    }
}
