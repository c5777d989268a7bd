using StackExchange.Redis;

namespace Dispatch.Server.Live;

/// <summary>The live stream's parts (docs/live-events.md): outbox relay, fan-out, hub, optional Redis.</summary>
public static class LiveSetup
{
    public const string HubPath = "/hubs/dispatch";

    public static void AddDispatchLive(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LiveOptions>(builder.Configuration.GetSection("Live"));
        builder.Services.AddSingleton<History>();
        builder.Services.AddSingleton<FanOut>();
        builder.Services.AddSingleton<LiveLimits>();
        builder.Services.AddHostedService<CatchUp>();
        builder.Services.AddSingleton<Relay>();
        builder.Services.AddHostedService(s => s.GetRequiredService<Relay>());

        var signalR = builder.Services.AddSignalR();
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            // Several servers: relayed events travel on one Redis channel; hub-wide sends (to a user,
            // to all) reach every server through SignalR's Redis backplane.
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false; // start, and keep retrying, while Redis is away
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            builder.Services.AddSingleton<RedisBus>();
            builder.Services.AddSingleton<IEventBus>(s => s.GetRequiredService<RedisBus>());
            builder.Services.AddHostedService(s => s.GetRequiredService<RedisBus>());
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("dispatch:signalr"));
        }
        else
        {
            builder.Services.AddSingleton<IEventBus, InProcessBus>();
        }
    }

    public static void MapLive(this WebApplication app) => app.MapHub<DispatchHub>(HubPath);
}
