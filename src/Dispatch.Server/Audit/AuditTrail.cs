namespace Dispatch.Server.Audit;

/// <summary>
/// Leaves an append-only row for every write and every refused request (401, 403, and a 404 on
/// the API, which is how an out-of-area request is refused): who, when, what, on what, with what
/// outcome, from where. It is the outermost middleware, so the outcome it records is the status
/// the caller got — after authorisation's refusals and the exception handlers' answers (the user
/// and the endpoint stay on the context once the inner middleware has set them). The row is
/// written after the response is decided; a database that is down loses the row, not the answer.
/// </summary>
public sealed class AuditTrail(RequestDelegate next, NpgsqlDataSource db, ILogger<AuditTrail> log)
{
    /// <summary>Whom a request speaks for when its caller is not signed in as them: the account a sign-in tries.</summary>
    public const string UserItem = "audit.user";
    static readonly string[] Audited = ["/api", "/tiles", "/hubs", "/hangfire"];

    public async Task InvokeAsync(HttpContext http)
    {
        try { await next(http); }
        finally
        {
            if (ShouldRecord(http)) await RecordAsync(http);
        }
    }

    static bool ShouldRecord(HttpContext http)
    {
        if (!Audited.Any(p => http.Request.Path.StartsWithSegments(p))) return false;
        var write = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
                    // Not writes: the hub's negotiation, and an accepted position fix, which the (encrypted) track records itself.
                    && !http.Request.Path.Value!.EndsWith("/negotiate", StringComparison.Ordinal)
                    && !(http.Request.Path.StartsWithSegments("/api/staff/me/position") && http.Response.StatusCode == 204);
        var refused = http.Response.StatusCode is 401 or 403 or 429 || (http.Response.StatusCode == 404 && http.Request.Path.StartsWithSegments("/api"));
        return write || refused;
    }

    async Task RecordAsync(HttpContext http)
    {
        // After an exception the handler has cleared the endpoint and route values; its feature keeps the originals.
        var failed = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>();
        var endpoint = ((http.GetEndpoint() ?? failed?.Endpoint) as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
        var values = failed?.RouteValues ?? http.Request.RouteValues;
        var target = string.Join(",", values.Where(v => v.Key is not ("action" or "controller")).Select(v => $"{v.Key}={v.Value}"));
        try
        {
            // Whatever a caller sent is bounded and stripped of control characters first: an anonymous
            // sign-in must not be able to write megabytes into an append-only table, nor a NUL lose the row.
            var user = Bounded.Text(http.Items[UserItem] as string ?? http.User.Identity?.Name, AuthApi.MaxUsernameLength);
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit (username, action, target, outcome, address) VALUES (@user, @action, @target, @outcome, @address)", new
                {
                    user,
                    action = Bounded.Text($"{Bounded.Text(http.Request.Method, 16)} {endpoint}", 300)!,
                    target = target.Length == 0 ? null : Bounded.Text(target, 300),
                    outcome = http.Response.StatusCode,
                    address = http.Connection.RemoteIpAddress?.ToString(),
                }));
        }
        catch (NpgsqlException e)
        {
            log.LogWarning("Audit row for {Action} not written: {Reason}", endpoint, e.Message);
        }
    }
}
