using Dispatch.Server.Database;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dispatch.Server.Common;

/// <summary>
/// Once the platform is ready, tells whoever started it where the screens are. A command-line verb
/// that starts the host only for its database (generate-history) sets <c>Banner:Enabled=false</c>:
/// its port serves nobody.
/// </summary>
public sealed class Banner(IServer server, StartupState state, IConfiguration config, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!config.GetValue("Banner:Enabled", true)) return;
        await state.WhenReadyAsync(ct);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? DispatchApp.DefaultUrl;
        if (lifetime.ApplicationStopping.IsCancellationRequested) return;
        var demo = !config.GetValue<bool>("Demo:Enabled") ? "" : $"""
            │
            │ 演示账号 Demo accounts — 密码 password: {config["Demo:Password"] ?? SeedDemoAccounts.DefaultPassword}
            │   admin                 系统管理员 administrator
            │   city.dispatcher       市级调度员 city dispatcher (410600)
            │   qibin.dispatcher      淇滨区调度员 (410611)     xun.dispatcher   浚县调度员 (410621)
            │   supervisor            市级督导 supervisor      auditor          审计员 auditor
            │   wall                  大屏 wall display (read-only)
            │   dispatcher-<code>     每个县区、乡镇的调度员 a dispatcher per district and township
            │   gw-<网格编码>          网格员 grid worker, e.g. gw-410602001001001
            │   police-/legal-/mediator-<村编码>  村警、法律顾问、矛调队伍
            │   模拟城市 simulated city: {(config.GetValue<bool>("Simulation:Enabled") ? "开 on" : "关 off")}
            """;
        Console.WriteLine($"""

            ┌──────────────────────────────────────────────────────────────
            │ 鹤壁市域社会治理 指挥调度平台 Dispatch 已就绪 / ready
            │
            │   大屏 Wall display   {address}/wall
            │   调度台 Console      {address}/console
            │   外勤 Field app      {address}/field
            │   考核 Assessment     {address}/assessment
            │   三零 Three zeros    {address}/three-zeros
            │   地图 Map            {address}/
            │   接口文档 API docs   {address}/scalar
            │   定时任务 Jobs       {address}/hangfire  (admin)
            │   健康 Health         {address}/health/ready{demo}
            │
            │ Ctrl+C 停止 / stop (the database stops with the server)
            └──────────────────────────────────────────────────────────────

            """);
    }
}
