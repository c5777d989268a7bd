using Dispatch.Server.Common;
using Dispatch.Server.Database;
using Dispatch.Server.Regions;
using Dispatch.Server.Tiles;
using Scalar.AspNetCore;

namespace Dispatch.Server;

/// <summary>The server's table of contents: what it registers and which routes it maps.</summary>
public static class DispatchApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);

        await builder.AddDispatchDatabaseAsync();
        builder.Services.AddSingleton<StartupState>();
        builder.Services.AddSingleton<GridLocator>();
        builder.Services.AddSingleton<TileCache>();
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<Banner>();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks()
            .AddCheck<StartupCheck>("startup", tags: ["ready"])
            .AddNpgSql(timeout: TimeSpan.FromSeconds(2), tags: ["ready"]);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();

        app.MapHealth();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapRegions();
        app.MapTiles();
        // Unknown API paths answer as the API does; every other path is a screen of the web app.
        app.Map("/api/{**rest}", () => Problems.NotFound("没有这个接口。"));
        app.MapFallbackToFile("index.html");
        return app;
    }
}
