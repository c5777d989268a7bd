using System.Text.Json;

namespace Dispatch.Server.Live;

/// <summary>Published events read back from the outbox: to fill a server's gap, or to replay a client's.</summary>
public sealed class History(NpgsqlDataSource db)
{
    /// <summary>The outbox columns as <see cref="Row"/> names them.</summary>
    internal const string Columns = "seq, type, at, scope, staff_ids AS staffids, to_field AS tofield, data::text AS data, also_scopes AS alsoscopes";

    /// <summary>The highest seq given so far (0 before the first event).</summary>
    public async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(seq), 0) FROM outbox", cancellationToken: ct));
    }

    /// <summary>Every event with <paramref name="after"/> &lt; seq ≤ <paramref name="upTo"/>, in order, whoever may see it.</summary>
    public async Task<List<Published>> RangeAsync(long after, long upTo, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await QueryAsync(conn, $"SELECT {Columns} FROM outbox WHERE seq > @after AND seq <= @upTo ORDER BY seq", new { after, upTo }, ct);
    }

    /// <summary>
    /// The next page, after <paramref name="after"/> and up to <paramref name="upTo"/>, of the events
    /// <paramref name="user"/> may see: the rule of <see cref="FanOut"/> and of GET /api/incidents/{id}.
    /// </summary>
    public async Task<List<Published>> VisiblePageAsync(CurrentUser user, long after, long upTo, int pageSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await QueryAsync(conn, $"""
            SELECT {Columns} FROM outbox
            WHERE seq > @after AND seq <= @upTo
              AND ((({CurrentUser.CoversSql("@region", "scope")} OR @region = ANY (also_scopes)) AND (to_field OR NOT @field)) OR staff_ids @> ARRAY[@staffId::bigint])
            ORDER BY seq LIMIT @pageSize
            """, new { after, upTo, region = user.RegionCode, staffId = user.StaffId, field = user.Is(Roles.Field), pageSize }, ct);
    }

    /// <summary>The lowest seq still kept (older events are purged), or null when none is.</summary>
    public async Task<long?> OldestAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT min(seq) FROM outbox", cancellationToken: ct));
    }

    /// <summary>An outbox row as read back, <see cref="Columns"/> in order.</summary>
    sealed record Row(long Seq, string Type, DateTimeOffset At, string Scope, long[] StaffIds, bool ToField, string Data, string[] AlsoScopes)
    {
        public Published ToPublished()
        {
            using var data = JsonDocument.Parse(Data);
            return new Published(new LiveEvent(Seq, Type, At.ToOffset(Clock.Beijing), data.RootElement.Clone()), Scope, StaffIds, ToField, AlsoScopes);
        }
    }

    /// <summary>Outbox rows (<see cref="Columns"/>, in that order) as published events.</summary>
    internal static async Task<List<Published>> QueryAsync(NpgsqlConnection conn, string sql, object? param, CancellationToken ct) =>
        [.. (await conn.QueryAsync<Row>(new CommandDefinition(sql, param, cancellationToken: ct))).Select(r => r.ToPublished())];
}
