using System.Reflection;
using DbUp;
using DbUp.Engine.Output;

namespace Dispatch.Server.Database;

/// <summary>
/// Applies the forward-only SQL files of <c>db/migrations</c> (embedded in this assembly) exactly
/// once each, in name order, recording them in DbUp's journal table.
/// </summary>
public static class Migrations
{
    public static void Apply(string connectionString, ILogger log)
    {
        var result = DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith("migrations/"))
            .WithTransactionPerScript()
            // A migration that rewrites a table (0026 fills 4 million steps of a year's past in about a
            // minute) must not die at the driver's 30-second default, half-way and rolled back.
            .WithExecutionTimeout(TimeSpan.FromMinutes(30))
            .LogTo(new DbUpLog(log))
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
    }

    sealed class DbUpLog(ILogger log) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => log.LogInformation("{Message}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => log.LogWarning("{Message}", string.Format(format, args));
        public void LogError(string format, params object[] args) => log.LogError("{Message}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => log.LogError(ex, "{Message}", string.Format(format, args));
    }
}
