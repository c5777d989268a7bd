using Dapper;
using Npgsql;

namespace Dispatch.Server.Identity;

/// <summary>
/// A sign-in account as the sign-in needs it: who, with what rights, how to check them. Properties
/// rather than a positional record because Npgsql reports <c>text[]</c> as <see cref="Array"/>,
/// which Dapper's constructor matching will not take for <c>string[]</c>.
/// </summary>
public sealed record Account
{
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string PasswordHash { get; init; }
    public required string[] Roles { get; init; }
    public required string RegionCode { get; init; }
    public long? StaffId { get; init; }
    public bool Disabled { get; init; }
    public bool TwoFactorEnabled { get; init; }

    public CurrentUser ToUser() => new(Username, DisplayName, Roles, RegionCode, StaffId);

    public static async Task<Account?> FindAsync(NpgsqlConnection conn, string username, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<Account>(new CommandDefinition("""
            SELECT username, display_name, password_hash, roles, region_code, staff_id, disabled_at IS NOT NULL AS disabled, totp_enabled_at IS NOT NULL AS two_factor_enabled
            FROM app_user WHERE username = @username
            """, new { username }, cancellationToken: ct));
}
