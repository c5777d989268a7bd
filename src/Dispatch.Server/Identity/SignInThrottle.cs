using System.Net;
using System.Net.Sockets;

namespace Dispatch.Server.Identity;

/// <summary>
/// How one kind of key forgives and punishes: <see cref="Free"/> failures cost nothing, each
/// failure leaks away after <see cref="Leak"/>, and past the free ones the key waits
/// <see cref="Base"/> × 2^(failures − free), at most <see cref="Cap"/>. A wait, never a lock: an
/// attacker who keeps failing keeps the wait at most <see cref="Cap"/> long, and only for the key
/// that failed. Pure, so that the rule is tested without a database.
/// </summary>
public sealed record Backoff(double Free, TimeSpan Leak, TimeSpan Base, TimeSpan Cap)
{
    /// <summary>The score after <paramref name="elapsed"/> of leaking.</summary>
    public double Decayed(double score, TimeSpan elapsed) => Math.Max(0, score - elapsed / Leak);

    /// <summary>How long the key waits after an attempt that brought its score to <paramref name="score"/>; null: no wait.</summary>
    public TimeSpan? WaitAfter(double score)
    {
        // The Free-th failure in a burst leaves a score a hair under Free (the earlier ones leaked a
        // little meanwhile): it must still start the wait, or a burst gets one try more than free.
        if (score <= Free - 1) return null;
        var doublings = Math.Clamp(score - Free, 0, 30);
        return TimeSpan.FromTicks((long)Math.Min(Cap.Ticks, Base.Ticks * Math.Pow(2, doublings)));
    }
}

/// <summary>The sign-in throttle's settings (section <c>SignIn</c>); the defaults suit a city's centres.</summary>
public sealed class SignInOptions
{
    /// <summary>One account from one address: the targeted guess.</summary>
    public Backoff Pair { get; set; } = new(5, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(15));
    /// <summary>One address, whatever account: the spray. Twenty typos in a centre behind one NAT address are forgiven.</summary>
    public Backoff Address { get; set; } = new(20, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(15));
    /// <summary>One account, from every address: the distributed guess. The wait stays short, so that nobody can hold an owner out.</summary>
    public Backoff Account { get; set; } = new(50, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
}

/// <summary>
/// Password and code guessing, throttled in PostgreSQL so that every node shares one count. Each
/// attempt first <em>claims</em> a try on three keys — the account from this address, this address,
/// the account — under their row locks: refused while any key waits, otherwise counted as a
/// failure before the password is even checked. Concurrent guesses therefore queue on the rows and
/// cannot slip past the count (at most the free tries are checked in a burst), and a success
/// gives back only its own claim, never the failures of others. Refused attempts do not count, so
/// a wait ends when it says it ends.
/// </summary>
public sealed class SignInThrottle(NpgsqlDataSource db, Microsoft.Extensions.Options.IOptions<SignInOptions> options)
{
    /// <summary>The keys one attempt claimed; <see cref="SucceededAsync"/> gives them back.</summary>
    public sealed record Claim(string[] Keys);

    /// <summary>A claim on the keys of <paramref name="username"/> from <paramref name="address"/>, or how long to wait.</summary>
    public async Task<(Claim? Claim, TimeSpan RetryAfter)> ClaimAsync(string username, IPAddress? address, CancellationToken ct)
    {
        var o = options.Value;
        var from = AddressKey(address);
        var name = username.Trim().ToLowerInvariant();
        var keys = new (string Key, Backoff Rule)[] { ($"pair:{name}@{from}", o.Pair), ($"address:{from}", o.Address), ($"account:{name}", o.Account) }
            .OrderBy(k => k.Key, StringComparer.Ordinal).ToArray(); // one lock order for every attempt: no deadlocks

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var names = keys.Select(k => k.Key).ToArray();
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sign_in_throttle (key, score, updated_at) SELECT unnest(@names), 0, now() ON CONFLICT DO NOTHING
            """, new { names }, tx, cancellationToken: ct));
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition("""
            SELECT key, score, now() - updated_at AS elapsed, greatest(blocked_until - now(), interval '0') AS waiting
            FROM sign_in_throttle WHERE key = ANY (@names) ORDER BY key FOR UPDATE
            """, new { names }, tx, cancellationToken: ct))).ToDictionary(r => r.Key);

        var wait = keys.Max(k => rows[k.Key].Waiting ?? TimeSpan.Zero);
        if (wait > TimeSpan.Zero)
        {
            await tx.RollbackAsync(ct);
            return (null, wait);
        }
        foreach (var (key, rule) in keys)
        {
            var score = rule.Decayed(rows[key].Score, rows[key].Elapsed) + 1;
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE sign_in_throttle SET score = @score, updated_at = now(), blocked_until = now() + make_interval(secs => @wait) WHERE key = @key
                """, new { key, score, wait = rule.WaitAfter(score)?.TotalSeconds }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (new Claim(names), TimeSpan.Zero);
    }

    /// <summary>
    /// The attempt was right: its own claim is given back, nothing more. A wait already set stays
    /// until it ends: a right guess racing wrong ones must not reopen the key for one more of them.
    /// The time of the last failure stays too, so leaking goes on.
    /// </summary>
    public async Task SucceededAsync(Claim claim, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE sign_in_throttle SET score = greatest(score - 1, 0) WHERE key = ANY (@keys)
            """, new { keys = claim.Keys }, cancellationToken: ct));
    }

    /// <summary>An IPv4 address as it is; an IPv6 address by its /64, which one subscriber usually holds whole.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    sealed record Row(string Key, double Score, TimeSpan Elapsed, TimeSpan? Waiting);
}
