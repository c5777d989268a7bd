using System.Security.Cryptography;
using Dispatch.Server.Database;

namespace Dispatch.Server.Incidents;

public sealed record PhotoView(long Id, string ContentType, int Bytes, string UploadedBy, DateTimeOffset UploadedAt, string Url);

/// <summary>
/// Photos of an incident: JPEG or PNG (told by their first bytes, not by what the client claims),
/// at most 10 MB, kept on disk under the state folder named by their SHA-256; the database row says
/// whose photo it is. The same bytes uploaded again to the same incident — a phone resending an
/// upload whose answer was lost — are the photo already there: 200 with that photo, no second row.
/// </summary>
public static class Photos
{
    public const int MaxBytes = 10 << 20;

    public static async Task<IResult> Upload(long id, IFormFile? file, HttpContext http, NpgsqlDataSource db, StateDirectory state, CancellationToken ct)
    {
        if (file is null) return Problems.Invalid("file", "请以 multipart/form-data 的 file 字段上传照片。");
        if (file.Length > MaxBytes) return TypedResults.Problem("照片不能超过 10 MB。", statusCode: 413, title: "请求体过大");
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        var type = Sniff(bytes);
        if (type is null) return Problems.Invalid("file", "只接受 JPEG 或 PNG 照片。");
        if (!await VisibleAsync(db, id, http.Caller(), ct)) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = PathOf(state, sha);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(tmp, bytes, ct);
            File.Move(tmp, path, overwrite: true); // written whole, then named: never a half photo under its name
        }
        // The no-op update makes RETURNING give the existing row on a conflict.
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<Stored>(new CommandDefinition("""
            INSERT INTO attachment (incident_id, sha256, content_type, bytes, uploaded_by) VALUES (@id, @sha, @type, @bytes, @username)
            ON CONFLICT (incident_id, sha256) DO UPDATE SET sha256 = excluded.sha256
            RETURNING id, uploaded_by, uploaded_at, xmax = 0 AS created
            """, new { id, sha, type, bytes = bytes.Length, username = http.Caller().Username }, cancellationToken: ct));
        var photo = new PhotoView(row.Id, type, bytes.Length, row.UploadedBy, Clock.Local(row.UploadedAt), $"/api/incidents/{id}/photos/{row.Id}");
        return row.Created ? TypedResults.Created(photo.Url, photo) : TypedResults.Ok(photo);
    }

    sealed record Stored(long Id, string UploadedBy, DateTimeOffset UploadedAt, bool Created);

    sealed record Listed(long Id, string ContentType, int Bytes, string UploadedBy, DateTimeOffset UploadedAt);

    public static async Task<IResult> List(long id, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        if (!await VisibleAsync(db, id, http.Caller(), ct)) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var list = await conn.QueryAsync<Listed>(new CommandDefinition(
            "SELECT id, content_type, bytes, uploaded_by, uploaded_at FROM attachment WHERE incident_id = @id ORDER BY id", new { id }, cancellationToken: ct));
        return TypedResults.Ok(list.Select(p => new PhotoView(p.Id, p.ContentType, p.Bytes, p.UploadedBy, Clock.Local(p.UploadedAt),
            $"/api/incidents/{id}/photos/{p.Id}")).ToList());
    }

    public static async Task<IResult> Get(long id, long photoId, HttpContext http, NpgsqlDataSource db, StateDirectory state, CancellationToken ct)
    {
        if (!await VisibleAsync(db, id, http.Caller(), ct)) return Problems.NotFound($"没有编号为 {id} 的事件，或它不在您的辖区内。");
        await using var conn = await db.OpenConnectionAsync(ct);
        var file = await conn.QuerySingleOrDefaultAsync<OnDisk>(new CommandDefinition(
            "SELECT sha256, content_type FROM attachment WHERE id = @photoId AND incident_id = @id", new { photoId, id }, cancellationToken: ct));
        if (file is not { } f) return Problems.NotFound("没有这张照片。");
        return TypedResults.PhysicalFile(PathOf(state, f.Sha256), f.ContentType, enableRangeProcessing: true);
    }

    sealed record OnDisk(string Sha256, string ContentType);

    static string PathOf(StateDirectory state, string sha) => Path.Combine(state.Path, "photos", sha[..2], sha);

    static string? Sniff(byte[] b) =>
        b is [0xFF, 0xD8, 0xFF, ..] ? "image/jpeg"
        : b is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] ? "image/png"
        : null;

    static async Task<bool> VisibleAsync(NpgsqlDataSource db, long id, CurrentUser caller, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM incident i WHERE i.id = @id AND {GetIncident.VisibleSql()})",
            new { id, region = caller.RegionCode, staff = caller.StaffId }, cancellationToken: ct));
    }
}
