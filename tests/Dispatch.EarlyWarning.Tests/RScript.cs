using System.ComponentModel;
using System.Diagnostics;

namespace Dispatch.EarlyWarning.Tests;

/// <summary>Runs one of the R scripts copied next to the tests; a missing R fails the test, never skips it.</summary>
static class RScript
{
    const string InstallHint = "Install R and the surveillance package: apt-get install -y --no-install-recommends r-base-core r-cran-surveillance";

    /// <summary>Standard output of <c>Rscript R/<paramref name="script"/> args…</c>.</summary>
    public static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo("Rscript") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "R", script));
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Rscript did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Rscript was not found ({e.Message}). {InstallHint}");
            throw;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Assert.Fail($"Rscript {script} exited with {process.ExitCode}: {stderr.Result}\n{InstallHint}");
            return stdout;
        }
    }
}
