using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Security;

/// <summary>
/// A platform of its own (own embedded cluster, own server) whose every log message, down to
/// Trace and from every category, is kept in <see cref="Logs"/>, so that a test can say what the
/// logs never contain. The console stays at Warning.
/// </summary>
public sealed class LoggedPlatformFixture : PlatformFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(Logs);
        builder.Logging.AddFilter<CapturedLogs>(category: null, LogLevel.Trace); // beats every category rule of the configuration
    }
}

/// <summary>Keeps every message, its structured values, its scopes and its exception, as text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);
    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"scope {category} {Values(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} | {Values(state)} | {exception}");

        static string Values(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(", ", pairs.Select(p => $"{p.Key}={Text(p.Value)}"))
            : state?.ToString() ?? "";

        static string Text(object? value) => value switch
        {
            null => "",
            string s => s,
            byte[] bytes => Convert.ToHexStringLower(bytes),
            System.Collections.IEnumerable many => string.Join(",", many.Cast<object?>().Select(Text)),
            _ => value.ToString() ?? "",
        };
    }
}
