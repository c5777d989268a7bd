using Dispatch.Server.Database;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dispatch.Server.Common;

/// <summary>Once the platform is ready, tells whoever started it where the screens are.</summary>
public sealed class Banner(IServer server, StartupState state, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!state.IsReady) await Task.Delay(250, ct);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? DispatchApp.DefaultUrl;
        if (lifetime.ApplicationStopping.IsCancellationRequested) return;
        Console.WriteLine($"""

            ┌──────────────────────────────────────────────────────────────
            │ 鹤壁市域社会治理 指挥调度平台 Dispatch 已就绪 / ready
            │
            │   地图 Map            {address}/
            │   接口文档 API docs   {address}/scalar
            │   健康 Health         {address}/health/ready
            │
            │ Ctrl+C 停止 / stop (the database stops with the server)
            └──────────────────────────────────────────────────────────────

            """);
    }
}
