using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dispatch.Server.Incidents;

namespace Dispatch.Tests.Incidents;

/// <summary>Photos of an incident: JPEG or PNG by their bytes, at most 10 MB, given back exactly as sent.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PhotoTests(PlatformFixture platform)
{
    readonly TestKit _kit = new(platform);

    /// <summary>A 2×2 red JPEG (ImageMagick, stripped).</summary>
    static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAACAAIDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAACP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAVAQEBAAAAAAAAAAAAAAAAAAAGCP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/ADeKLwf/2Q==");

    /// <summary>A 1×1 PNG of one red pixel, built chunk by chunk: signature, IHDR, IDAT (zlib), IEND.</summary>
    static byte[] Png()
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]); // 1×1, 8-bit RGB
        using var pixels = new MemoryStream();
        using (var z = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true)) z.Write([0, 0xC8, 0x10, 0x2E]); // filter 0, R G B
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(BigEndian((uint)data.Length));
        png.Write(typed);
        png.Write(BigEndian(Crc32(typed)));
    }

    static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        return ~crc;
    }

    async Task<HttpResponseMessage> UploadAsync(long incidentId, byte[] bytes, string fileName, string claimedType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        using var form = new MultipartFormDataContent { { file, "file", fileName } };
        return await (await _kit.ClientAsync(TestKit.Dispatcher)).PostAsync($"/api/incidents/{incidentId}/photos", form);
    }

    public static TheoryData<string, string> Images() => new() { { "scene.png", "image/png" }, { "scene.jpg", "image/jpeg" } };

    [Theory]
    [MemberData(nameof(Images))]
    public async Task A_small_photo_is_stored_and_given_back_byte_for_byte(string fileName, string type)
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        var bytes = type == "image/png" ? Png() : Jpeg;

        var response = await UploadAsync(incident.Id, bytes, fileName, type);

        var photo = await TestKit.ReadAsync<PhotoView>(response, HttpStatusCode.Created);
        Assert.Equal((type, bytes.Length, TestKit.Dispatcher), (photo.ContentType, photo.Bytes, photo.UploadedBy));
        Assert.Equal(photo.Url, response.Headers.Location?.OriginalString);

        var download = await (await _kit.ClientAsync(TestKit.Dispatcher)).GetAsync(photo.Url);
        await TestKit.ExpectAsync(download, HttpStatusCode.OK);
        Assert.Equal(type, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        var listed = await (await _kit.ClientAsync(TestKit.Dispatcher)).GetFromJsonAsync<List<PhotoView>>($"/api/incidents/{incident.Id}/photos", TestKit.Web);
        Assert.Equal([photo.Id], listed!.Select(p => p.Id));
    }

    [Fact]
    public async Task The_same_photo_sent_again_to_the_same_incident_is_the_photo_already_there()
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        var other = await _kit.ReportAsync(await _kit.FreshPlaceAsync());

        var first = await UploadAsync(incident.Id, Jpeg, "scene.jpg", "image/jpeg");
        var again = await UploadAsync(incident.Id, Jpeg, "retry.jpg", "image/jpeg"); // a phone resending after a lost answer
        var elsewhere = await UploadAsync(other.Id, Jpeg, "scene.jpg", "image/jpeg");

        var a = await TestKit.ReadAsync<PhotoView>(first, HttpStatusCode.Created);
        var b = await TestKit.ReadAsync<PhotoView>(again, HttpStatusCode.OK);
        await TestKit.ExpectAsync(elsewhere, HttpStatusCode.Created);
        Assert.Equal(a, b);
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM attachment WHERE incident_id = $1", incident.Id));
        Assert.Equal(1L, await _kit.ScalarAsync<long>("SELECT count(*) FROM attachment WHERE incident_id = $1", other.Id));
    }

    [Theory]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("disguised.png", "image/png")] // the claim is not what counts, the bytes are
    public async Task A_file_that_is_not_a_jpeg_or_png_is_400_naming_file(string fileName, string claimedType)
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync());

        var response = await UploadAsync(incident.Id, Encoding.UTF8.GetBytes("这不是照片，只是一段文字。"), fileName, claimedType);

        var problem = await TestKit.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(0L, await _kit.ScalarAsync<long>("SELECT count(*) FROM attachment WHERE incident_id = $1", incident.Id));
    }

    [Fact]
    public async Task A_photo_of_exactly_10_mb_is_taken_and_one_byte_more_is_413()
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync());
        var limit = new byte[Photos.MaxBytes];
        Jpeg.AsSpan(0, Jpeg.Length - 2).CopyTo(limit); // a JPEG's head, then padding
        var over = new byte[Photos.MaxBytes + 1];
        limit.CopyTo(over, 0);

        await TestKit.ExpectAsync(await UploadAsync(incident.Id, limit, "big.jpg", "image/jpeg"), HttpStatusCode.Created);
        await TestKit.ProblemAsync(await UploadAsync(incident.Id, over, "bigger.jpg", "image/jpeg"), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(new[] { Photos.MaxBytes }, await _kit.ScalarAsync<int[]>("SELECT array_agg(bytes) FROM attachment WHERE incident_id = $1", incident.Id));
    }

    [Fact]
    public async Task Photos_of_an_incident_outside_the_callers_area_are_404()
    {
        var incident = await _kit.ReportAsync(await _kit.FreshPlaceAsync(outside: "410621"));
        var xun = await _kit.ClientAsync("xun.dispatcher");
        var file = new ByteArrayContent(Png());
        using var form = new MultipartFormDataContent { { file, "file", "scene.png" } };

        await TestKit.ProblemAsync(await xun.PostAsync($"/api/incidents/{incident.Id}/photos", form), HttpStatusCode.NotFound);
        await TestKit.ProblemAsync(await xun.GetAsync($"/api/incidents/{incident.Id}/photos"), HttpStatusCode.NotFound);
    }
}
