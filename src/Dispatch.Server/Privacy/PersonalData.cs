using System.Security.Cryptography;
using System.Text;
using Dispatch.Server.Database;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Encrypts personal data (reporters' names and phones, staff tracks) before it reaches the
/// database, with AES-256-GCM (authenticated, so a tampered row fails loudly). The key comes from
/// <c>Security:DataKey</c> (base64, 32 bytes); without it one is made once and kept, 0600, in the
/// state folder. Layout: version (1) · nonce (12) · tag (16) · ciphertext.
/// </summary>
public sealed class PersonalData
{
    const byte Version = 1;
    readonly byte[] _key;

    public PersonalData(IConfiguration config, StateDirectory state)
    {
        _key = config["Security:DataKey"] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreateKey(Path.Combine(state.Path, "data.key"));
        if (_key.Length != 32) throw new InvalidOperationException("Security:DataKey must be 32 bytes, base64-encoded.");
    }

    public byte[]? Protect(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[1 + 12 + 16 + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(29), sealedBytes.AsSpan(13, 16));
        return sealedBytes;
    }

    public string? Unprotect(byte[]? sealedBytes)
    {
        if (sealedBytes is null) return null;
        if (sealedBytes.Length < 29 || sealedBytes[0] != Version) throw new CryptographicException("Unknown personal-data format.");
        var plain = new byte[sealedBytes.Length - 29];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(sealedBytes.AsSpan(1, 12), sealedBytes.AsSpan(29), sealedBytes.AsSpan(13, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>"13812341234" → "138****1234": enough to recognise, not to call.</summary>
    /// <summary>
    /// A keyed hash that links records of the same person without keeping who they are: HMAC-SHA256
    /// under a key derived from the data key (HKDF, its own purpose), of the normalised value
    /// (<c>id:</c> + ID number, <c>tel:</c> + mobile number). The same person gives the same key; the key
    /// says nothing to whoever lacks the data key.
    /// </summary>
    public string LinkKey(string normalised)
    {
        _linkKey ??= HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: "dispatch party link"u8.ToArray());
        return Convert.ToHexString(HMACSHA256.HashData(_linkKey, System.Text.Encoding.UTF8.GetBytes(normalised)))[..32].ToLowerInvariant();
    }

    byte[]? _linkKey;

    public static string? MaskPhone(string? phone) =>
        phone is null ? null : phone.Length <= 7 ? new string('*', phone.Length) : $"{phone[..3]}****{phone[^4..]}";

    /// <summary>"张三丰" → "张**".</summary>
    public static string? MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? name : name[..1] + new string('*', Math.Max(1, name.Length - 1));

    static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: false); // two nodes racing: the loser fails here and restarts with the winner's key
        return key;
    }
}
