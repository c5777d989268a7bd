using System.Security.Cryptography;
using System.Text;
using Dispatch.Server.Privacy;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using QRCoder;

namespace Dispatch.Server.Identity;

/// <summary>
/// Which roles must sign in with a second factor (<c>Identity:TwoFactor:Required</c>: role names,
/// comma-separated, or <c>none</c>). By default admins, supervisors and dispatchers must, except
/// in demo mode, where every demo account signs in with the printed password alone.
/// </summary>
public sealed class TwoFactorPolicy(IConfiguration config)
{
    public const string Setting = "Identity:TwoFactor:Required";
    static readonly string[] Privileged = [Roles.Admin, Roles.Supervisor, Roles.Dispatcher];

    readonly HashSet<string> _required = Parse(config[Setting], config.GetValue<bool>("Demo:Enabled"));

    public bool Requires(IEnumerable<string> roles) => roles.Any(_required.Contains);

    static HashSet<string> Parse(string? setting, bool demo)
    {
        if (setting is null) return demo ? [] : [.. Privileged];
        var roles = setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(r => r != "none").ToHashSet();
        if (roles.Except(Roles.All).FirstOrDefault() is { } unknown)
            throw new InvalidOperationException($"{Setting}: unknown role '{unknown}' (roles: {string.Join(", ", Roles.All)}, or none).");
        return roles;
    }
}

/// <summary>What an authenticator app needs to start: the secret, as text and as a QR code.</summary>
public sealed record Enrolment(string Secret, string Uri, string QrCode);

/// <summary>
/// TOTP (RFC 6238: SHA-1, six digits, 30-second steps, one step of clock drift either way) with
/// Otp.NET, and single-use recovery codes. The secret is sealed with the data key before it is
/// stored, like reporters' phones; a code is accepted once (a later step than the last accepted
/// one, recorded atomically), a recovery code once.
/// </summary>
public sealed class TwoFactor(NpgsqlDataSource db, PersonalData sealer, TimeProvider clock)
{
    public const string Issuer = "鹤壁市域社会治理指挥调度";
    public const int RecoveryCodeCount = 10;

    /// <summary>A new secret for <paramref name="username"/>, waiting for its first code; null when one is already in use.</summary>
    public async Task<Enrolment?> StartAsync(string username, CancellationToken ct)
    {
        var secret = KeyGeneration.GenerateRandomKey(20);
        await using var conn = await db.OpenConnectionAsync(ct);
        var started = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE app_user SET totp_secret = @sealed, totp_last_step = NULL WHERE username = @username AND totp_enabled_at IS NULL
            """, new { username, @sealed = sealer.Protect(Convert.ToBase64String(secret)) }, cancellationToken: ct));
        if (started == 0) return null;

        var base32 = Base32Encoding.ToString(secret);
        var uri = new OtpUri(OtpType.Totp, base32, username, Issuer).ToString();
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(qr).GetGraphic(6);
        return new Enrolment(base32, uri, $"data:image/png;base64,{Convert.ToBase64String(png)}");
    }

    /// <summary>
    /// Checks a code against the secret (the pending one when <paramref name="enrolling"/>) and, if
    /// it is right and not used before, records its step — and, when enrolling, turns the factor on
    /// and issues fresh recovery codes, all in one transaction. Null: the code is wrong.
    /// </summary>
    public async Task<string[]?> VerifyAsync(string username, string code, bool enrolling, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(byte[]? Secret, bool Enabled)>(new CommandDefinition("""
            SELECT totp_secret, totp_enabled_at IS NOT NULL FROM app_user WHERE username = @username FOR UPDATE
            """, new { username }, tx, cancellationToken: ct));
        if (row.Secret is null || row.Enabled == enrolling) return null;

        var totp = new Totp(Convert.FromBase64String(sealer.Unprotect(row.Secret)!));
        var digits = new string(code.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 6 || !totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out var step, VerificationWindow.RfcSpecifiedNetworkDelay))
            return null;
        var accepted = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE app_user SET totp_last_step = @step, totp_enabled_at = coalesce(totp_enabled_at, now())
            WHERE username = @username AND (totp_last_step IS NULL OR totp_last_step < @step)
            """, new { username, step }, tx, cancellationToken: ct));
        if (accepted == 0) return null; // this code (or a later one) was used already

        var recovery = enrolling ? await NewRecoveryCodesAsync(conn, tx, username, ct) : [];
        await tx.CommitAsync(ct);
        return recovery;
    }

    /// <summary>Uses up one recovery code; false when it is not one of the account's unused codes.</summary>
    public async Task<bool> UseRecoveryCodeAsync(string username, string code, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE recovery_code SET used_at = now() WHERE username = @username AND code_hash = @hash AND used_at IS NULL
            """, new { username, hash = HashOf(code) }, cancellationToken: ct)) == 1;
    }

    /// <summary>Replaces the account's recovery codes with new ones (the old ones stop working).</summary>
    public async Task<string[]> ReplaceRecoveryCodesAsync(string username, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var codes = await NewRecoveryCodesAsync(conn, tx, username, ct);
        await tx.CommitAsync(ct);
        return codes;
    }

    /// <summary>An administrator's reset: no secret, no recovery codes; the next sign-in enrols again if the role requires it.</summary>
    public static async Task<int> ResetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string username, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM recovery_code WHERE username = @username", new { username }, tx, cancellationToken: ct));
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE username = @username
            """, new { username }, tx, cancellationToken: ct));
    }

    static async Task<string[]> NewRecoveryCodesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string username, CancellationToken ct)
    {
        // 16 characters of base32: 80 random bits, in four groups a person can copy without losing their place.
        var codes = Enumerable.Range(0, RecoveryCodeCount)
            .Select(_ => string.Join('-', Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).Chunk(4).Select(c => new string(c)).ToArray()).ToLowerInvariant())
            .ToArray();
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM recovery_code WHERE username = @username", new { username }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("INSERT INTO recovery_code (username, code_hash) SELECT @username, unnest(@hashes)",
            new { username, hashes = codes.Select(HashOf).ToArray() }, tx, cancellationToken: ct));
        return codes;
    }

    /// <summary>The code without spaces, dashes or case, hashed.</summary>
    static byte[] HashOf(string code) =>
        SHA256.HashData(Encoding.ASCII.GetBytes(new string(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray())));
}

/// <summary>
/// The proof, between the password and the code, that the password was right: sealed with Data
/// Protection (so every node can read it), naming the account and what comes next, valid for five
/// minutes. It grants nothing by itself but the right to present a code or to enrol.
/// </summary>
public sealed class SignInChallenges(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const string Code = "code";
    public const string Enrol = "enrol";

    readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Dispatch.SignIn.SecondFactor").ToTimeLimitedDataProtector();

    public (string Challenge, DateTimeOffset ExpiresAt) Issue(string kind, string username)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        return (_protector.Protect($"{kind}\n{username}", expires), expires);
    }

    /// <summary>The account and kind a challenge was issued for; null when it is forged or expired.</summary>
    public (string Kind, string Username)? Read(string? challenge)
    {
        if (string.IsNullOrEmpty(challenge) || challenge.Length > 4096) return null;
        try
        {
            var parts = _protector.Unprotect(challenge, out _).Split('\n', 2);
            return (parts[0], parts[1]);
        }
        catch (CryptographicException) { return null; }
    }
}
