using System.Text.Json;
using StackExchange.Redis;

namespace Dispatch.Server.Live;

/// <summary>How the relay's batches reach every server's <see cref="FanOut"/>.</summary>
public interface IEventBus
{
    Task PublishAsync(IReadOnlyList<Published> batch, CancellationToken ct);
}

/// <summary>One server: straight into this process's fan-out.</summary>
public sealed class InProcessBus(FanOut fanOut) : IEventBus
{
    public Task PublishAsync(IReadOnlyList<Published> batch, CancellationToken ct) => fanOut.ReceiveAsync(batch, ct);
}

/// <summary>
/// Several servers: one Redis channel that every server subscribes to. A single channel keeps one
/// order for everything (the SignalR backplane's per-group channels would not, and would make a
/// stalled client hold up its whole group); a message Redis drops shows as a gap in seq, which
/// <see cref="FanOut"/> fills from the outbox.
/// </summary>
public sealed class RedisBus(IConnectionMultiplexer redis, FanOut fanOut, ILogger<RedisBus> log) : IEventBus, IHostedService
{
    static readonly RedisChannel Channel = RedisChannel.Literal("dispatch:live");
    ChannelMessageQueue? _queue;

    public async Task PublishAsync(IReadOnlyList<Published> batch, CancellationToken ct) =>
        await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(batch, JsonSerializerOptions.Web));

    public async Task StartAsync(CancellationToken ct)
    {
        _queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        // Messages are handled one at a time, in the order Redis delivered them.
        _queue.OnMessage(async message =>
        {
            try
            {
                var batch = JsonSerializer.Deserialize<List<Published>>((byte[])message.Message!, JsonSerializerOptions.Web)!;
                await fanOut.ReceiveAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The catch-up from the outbox brings what this message carried.
                log.LogError(e, "Redis 事件消息处理失败");
            }
        });
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_queue is not null) await _queue.UnsubscribeAsync();
    }
}
