namespace Dispatch.Server.Identity;

/// <summary>A sign-in account as the sign-in needs it: who, with what rights, how to check them.</summary>
public sealed record Account(string Username, string DisplayName, string PasswordHash, string[] Roles, string RegionCode, long? StaffId,
    bool Disabled, bool TwoFactorEnabled)
{
    public CurrentUser ToUser() => new(Username, DisplayName, Roles, RegionCode, StaffId);

    public static async Task<Account?> FindAsync(NpgsqlConnection conn, string username, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<Account>(new CommandDefinition("""
            SELECT username, display_name, password_hash, roles, region_code, staff_id, disabled_at IS NOT NULL AS disabled, totp_enabled_at IS NOT NULL AS two_factor_enabled
            FROM app_user WHERE username = @username
            """, new { username }, cancellationToken: ct));
}
