using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.EarlyWarning.Scan;

namespace Dispatch.Server.Alerts;

/// <summary>
/// The Monte Carlo nulls of the day, kept by (detector, fingerprint): in memory, then in the
/// <c>monte_carlo_null</c> table, else drawn — under an advisory lock on the key, so that two runs
/// (or two servers) needing the same null draw it once and the other waits and reads it. A restart
/// reads the stored null instead of drawing it again. The fingerprint covers everything the null
/// depends on, so a stored null is never used for other baselines.
/// </summary>
public sealed class MonteCarloNulls(NpgsqlDataSource db, ILogger<MonteCarloNulls> log)
{
    public enum Source { Memory, Stored, Drawn }

    readonly ConcurrentDictionary<(string Detector, ulong Fingerprint), (DateOnly Day, ScanNull Null)> _memory = new();

    /// <summary>
    /// The nulls of <paramref name="keys"/> (drawn together by <paramref name="draw"/>, in the same
    /// order, when any is missing) for the runs of <paramref name="day"/>.
    /// </summary>
    public async Task<(ScanNull[] Nulls, Source Source)> GetAsync(DateOnly day, (string Detector, ulong Fingerprint)[] keys, Func<ScanNull[]> draw, CancellationToken ct)
    {
        var cached = keys.Select(k => _memory.TryGetValue(k, out var m) ? m.Null : null).ToArray();
        if (cached.All(n => n is not null)) return ([.. cached.Select(n => n!)], Source.Memory);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('null|' || @detector || '|' || @fingerprint::text))",
            new { detector = keys[0].Detector, fingerprint = unchecked((long)keys[0].Fingerprint) }, tx, cancellationToken: ct));
        var stored = new ScanNull?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var maxima = await conn.ExecuteScalarAsync<double[]?>(new CommandDefinition(
                "SELECT sorted_maxima FROM monte_carlo_null WHERE detector = @detector AND fingerprint = @fingerprint",
                new { detector = keys[i].Detector, fingerprint = unchecked((long)keys[i].Fingerprint) }, tx, cancellationToken: ct));
            if (maxima is not null) stored[i] = new ScanNull(keys[i].Fingerprint, maxima);
        }
        Source source;
        ScanNull[] nulls;
        if (stored.All(n => n is not null))
            (nulls, source) = ([.. stored.Select(n => n!)], Source.Stored);
        else
        {
            var watch = Stopwatch.StartNew();
            nulls = draw();
            var seconds = watch.Elapsed.TotalSeconds;
            for (var i = 0; i < keys.Length; i++)
            {
                if (nulls[i].Fingerprint != keys[i].Fingerprint) throw new InvalidOperationException($"The null drawn for {keys[i].Detector} has another fingerprint.");
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO monte_carlo_null (detector, fingerprint, for_day, sorted_maxima, seconds)
                    VALUES (@detector, @fingerprint, @day, @maxima, @seconds)
                    ON CONFLICT (detector, fingerprint) DO NOTHING
                    """, new { detector = keys[i].Detector, fingerprint = unchecked((long)keys[i].Fingerprint), day, maxima = nulls[i].SortedMaxima, seconds },
                    tx, cancellationToken: ct));
            }
            source = Source.Drawn;
            log.LogInformation("蒙特卡洛零分布 {Detectors}（{Day}）：{Replicates} 次模拟，用时 {Seconds:F2} 秒",
                string.Join("、", keys.Select(k => k.Detector)), day, nulls[0].Replicates, seconds);
        }
        await tx.CommitAsync(ct);

        foreach (var old in _memory.Where(m => m.Value.Day < day.AddDays(-1)).Select(m => m.Key).ToList()) _memory.TryRemove(old, out _);
        for (var i = 0; i < keys.Length; i++) _memory[keys[i]] = (day, nulls[i]);
        return (nulls, source);
    }

    /// <summary>Forgets the nulls held in memory, as a restart does (the stored ones stay).</summary>
    public void ForgetMemory() => _memory.Clear();

    /// <summary>Deletes stored nulls that served days before <paramref name="before"/>.</summary>
    public async Task<int> PurgeAsync(DateOnly before, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM monte_carlo_null WHERE for_day < @before", new { before }, cancellationToken: ct));
    }
}
