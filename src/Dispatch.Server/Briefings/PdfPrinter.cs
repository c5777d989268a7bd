using System.Diagnostics;

namespace Dispatch.Server.Briefings;

/// <summary>
/// Prints an HTML page to PDF with the server machine's headless Chromium (Debian's `chromium`,
/// <c>Briefings:Chromium</c>) — the same engine as the screens, so the page prints as it looks.
/// Two at a time at most: each is a browser process of a few hundred MB.
/// </summary>
public sealed class PdfPrinter(IConfiguration config, ILogger<PdfPrinter> log)
{
    readonly SemaphoreSlim _turns = new(2, 2);
    readonly string _chromium = config["Briefings:Chromium"] ?? "/usr/bin/chromium";
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public bool Available => File.Exists(_chromium);

    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        await _turns.WaitAsync(ct);
        var folder = Directory.CreateTempSubdirectory("dispatch-briefing-");
        try
        {
            var page = Path.Combine(folder.FullName, "briefing.html");
            var pdf = Path.Combine(folder.FullName, "briefing.pdf");
            await File.WriteAllTextAsync(page, html, ct);
            var start = new ProcessStartInfo(_chromium)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
                ArgumentList =
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--no-pdf-header-footer", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}",
                    $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri,
                },
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Limit);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (!File.Exists(pdf))
            {
                log.LogWarning("Chromium 未生成 PDF（退出码 {Code}）：{Errors}", process.ExitCode, (await errors)[..Math.Min(2000, (await errors).Length)]);
                throw new InvalidOperationException("Chromium produced no PDF.");
            }
            return await File.ReadAllBytesAsync(pdf, ct);
        }
        finally
        {
            _turns.Release();
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
