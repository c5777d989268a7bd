using Dispatch.Server.Database;

namespace Dispatch.Server.Cli;

/// <summary>Brings the database to the current schema and seeds it, as the server's start would, then exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = await DispatchApp.BuildAsync(args);
        var state = app.Services.GetRequiredService<StartupState>();
        await app.StartAsync(); // runs DatabaseStartup; stops the host if it fails
        var stopping = app.Lifetime.ApplicationStopping;
        try { await state.WhenReadyAsync(stopping); } catch (OperationCanceledException) { } // a failed start-up stops the host
        await app.StopAsync();
        Console.WriteLine(state.IsReady ? "数据库已是最新 / database is up to date" : "迁移失败 / migration failed");
        return state.IsReady ? 0 : 1;
    }
}
