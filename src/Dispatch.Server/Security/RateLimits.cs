using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Dispatch.Server.Security;

/// <summary>Request limits (section <c>RateLimits</c>): configuration, with defaults under which the simulated city, the load tool and the tests run.</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Password checks (PBKDF2, tens of milliseconds of CPU each) running at once from one address;
    /// more wait in its queue — deep enough for a centre behind one NAT address signing in together.
    /// </summary>
    public int SignInPerAddress { get; set; } = 2;
    public int SignInQueuePerAddress { get; set; } = 50;
    /// <summary>Password checks running at once on this node, whoever asks: the rest of the API keeps the other cores.</summary>
    public int SignInConcurrent { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);
    public int SignInQueue { get; set; } = 100;
    /// <summary>
    /// Reports one field account (a phone) may file: a sustained rate a second and a burst. A grid
    /// worker files a few an hour, so a phone past this is lost or stolen, not busy.
    /// </summary>
    public int FieldIntakePerSecond { get; set; } = 2;
    public int FieldIntakeBurst { get; set; } = 30;
    /// <summary>
    /// The same for a centre's account, through which a hotline or a whole city's calls may come
    /// (the load tool files hundreds a second as <c>city.dispatcher</c>): a guard against a
    /// runaway script holding every connection, not a pace for people.
    /// </summary>
    public int CentreIntakePerSecond { get; set; } = 1000;
    public int CentreIntakeBurst { get; set; } = 2000;
}

/// <summary>
/// ASP.NET's rate limiter over the routes that cost the most. Password work is limited per client
/// address first (so that one address cannot fill the queue everyone shares) and then per node;
/// intake per account with a token bucket. A refusal is 429 with <c>Retry-After</c> and a problem
/// body. Limits are per node; the guessing throttle that must hold across nodes is
/// <see cref="SignInThrottle"/>, in PostgreSQL. Hub connections and replays are limited in the
/// hub (<see cref="Live.LiveLimits"/>).
/// </summary>
public static class RateLimits
{
    /// <summary>Endpoint metadata: this route checks a password or a code.</summary>
    public static readonly RateLimited PasswordWork = new("password-work");
    /// <summary>Endpoint metadata: this route files a report.</summary>
    public static readonly RateLimited Intake = new("intake");

    /// <summary>Which limit an endpoint falls under.</summary>
    public sealed record RateLimited(string Kind);

    public static void AddDispatchRateLimits(this WebApplicationBuilder builder)
    {
        var o = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Is(http, PasswordWork)
                    ? RateLimitPartition.GetConcurrencyLimiter(SignInThrottle.AddressKey(http.Connection.RemoteIpAddress), _ =>
                        new ConcurrencyLimiterOptions { PermitLimit = o.SignInPerAddress, QueueLimit = o.SignInQueuePerAddress })
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Is(http, PasswordWork)
                    ? RateLimitPartition.GetConcurrencyLimiter("node", _ =>
                        new ConcurrencyLimiterOptions { PermitLimit = o.SignInConcurrent, QueueLimit = o.SignInQueue })
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Is(http, Intake) && http.User.Identity?.Name is { } user
                    ? RateLimitPartition.GetTokenBucketLimiter(user, _ => IsField(http)
                        ? Bucket(o.FieldIntakePerSecond, o.FieldIntakeBurst)
                        : Bucket(o.CentreIntakePerSecond, o.CentreIntakeBurst))
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var detail = Is(context.HttpContext, Intake)
                    ? $"上报过于频繁（该账号每秒最多 {(IsField(context.HttpContext) ? o.FieldIntakePerSecond : o.CentreIntakePerSecond)} 件），请稍后重试。"
                    : "登录请求过多，请稍后重试。";
                return new ValueTask(Problems.TooMany(context.HttpContext, detail, wait).ExecuteAsync(context.HttpContext));
            };
        });
    }

    static bool IsField(HttpContext http) => http.User.IsInRole(Roles.Field);

    static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
    };

    static bool Is(HttpContext http, RateLimited kind) => http.GetEndpoint()?.Metadata.GetMetadata<RateLimited>() == kind;
}
