using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Dispatch.Server.Identity;

/// <summary>
/// Password hashes (ASP.NET Identity's PBKDF2). A name that has no account is checked against a
/// hash of a random password made at start, so that it costs the same hash work as a wrong
/// password: how long a refusal takes says nothing about whether the account exists. Every check
/// is counted on the <c>Dispatch.Identity</c> meter.
/// </summary>
public sealed class Passwords
{
    public const string MeterName = "Dispatch.Identity";
    public const string ChecksInstrument = "dispatch.sign_in.password_checks";
    public const int MinLength = 10;
    public const int MaxLength = 256;

    readonly PasswordHasher<object> _hasher = new();
    readonly string _unknown;
    readonly Counter<long> _checks;

    public Passwords(IMeterFactory meters)
    {
        _unknown = _hasher.HashPassword(new object(), RandomNumberGenerator.GetHexString(32));
        _checks = meters.Create(MeterName).CreateCounter<long>(ChecksInstrument,
            description: "Password hashes verified, tagged account=known|unknown: both kinds cost one hash");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/>; a null hash (no such account) never matches, at the same cost.</summary>
    public bool Verify(string? hash, string password)
    {
        _checks.Add(1, new KeyValuePair<string, object?>("account", hash is null ? "unknown" : "known"));
        var result = _hasher.VerifyHashedPassword(new object(), hash ?? _unknown, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }

    public string Hash(string password) => _hasher.HashPassword(new object(), password);

    /// <summary>What is wrong with a new password, or null: long enough to resist guessing, not the account's own name.</summary>
    public static string? Weakness(string username, string? password) => password switch
    {
        null or "" => "请输入新密码。",
        { Length: < MinLength } => $"密码至少 {MinLength} 个字符。",
        { Length: > MaxLength } => $"密码不能超过 {MaxLength} 个字符。",
        _ when password.Contains(username, StringComparison.OrdinalIgnoreCase) => "密码不能包含用户名。",
        _ when password.Distinct().Count() < 4 => "密码过于简单（至少包含 4 个不同的字符）。",
        _ => null,
    };
}
