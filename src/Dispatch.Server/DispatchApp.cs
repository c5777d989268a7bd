using Dispatch.Server.Alerts;
using Dispatch.Server.Audit;
using Dispatch.Server.Categories;
using Dispatch.Server.Conferences;
using Dispatch.Server.Database;
using Dispatch.Server.Departments;
using Dispatch.Server.Duty;
using Dispatch.Server.FollowUps;
using Dispatch.Server.Incidents;
using Dispatch.Server.Jobs;
using Dispatch.Server.Staff;
using Dispatch.Server.Live;
using Dispatch.Server.Mediation;
using Dispatch.Server.Privacy;
using Dispatch.Server.Regions;
using Dispatch.Server.Security;
using Dispatch.Server.Supervision;
using Dispatch.Server.SupervisionOrders;
using Dispatch.Server.Tiles;
using Dispatch.Simulation;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

        DapperTypes.Register();
        var state = await builder.AddDispatchDatabaseAsync();
        builder.AddDispatchIdentity(state);
        builder.AddDispatchSecurity();
        builder.AddDispatchLive();
        builder.AddDispatchJobs();
        builder.Services.Configure<Staff.StaffOptions>(builder.Configuration.GetSection("Staff"));
        ScheduleFollowUp.Configure(builder.Configuration);
        builder.Services.TryAddSingleton(TimeProvider.System); // a test may bring its own clock
        builder.Services.AddSingleton<StartupState>();
        builder.Services.AddSingleton<GridLocator>();
        builder.Services.AddSingleton<TileCache>();
        builder.Services.AddSingleton<PersonalData>();
        Briefings.BriefingsApi.AddBriefings(builder.Services);
        builder.Services.AddSingleton(WorkingCalendar.Embedded());
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<Banner>();
        builder.Services.AddSingleton<EscalateOverdue>();
        builder.Services.AddSingleton<Parties>();
        // What "major" means on the 三零 board and in its alert: one value for both.
        builder.Services.AddSingleton(ThreeZeros.ThreeZeroSql.Major(builder.Configuration));
        builder.Services.AddSingleton<SlaWatch>();
        if (Jobs.JobsSetup.Background(builder.Configuration)) builder.Services.AddHostedService(s => s.GetRequiredService<SlaWatch>());
        // Demo mode's simulated city (Dispatch.Simulation), once the database is migrated and seeded.
        builder.Services.AddSimulation(builder.Configuration, sp => sp.GetRequiredService<StartupState>().IsReady);

        // Chinese stays readable in JSON; characters that matter to HTML are still escaped. No string may carry a NUL.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            o.SerializerOptions.Converters.Add(new NoNulStrings());
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // The framework's own refusals (401, 403, 404…) get the Chinese titles of the contract.
            if (ctx.ProblemDetails.Title is null || ctx.ProblemDetails.Title.All(char.IsAscii))
                ctx.ProblemDetails.Title = Problems.TitleFor(ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode);
            // A cookie or token whose session has ended says why.
            if (ctx.ProblemDetails.Detail is null && ctx.HttpContext.Items[SessionGate.RefusalItem] is string refused) ctx.ProblemDetails.Detail = refused;
        });
        // Binding failures throw (in production too), so that BadRequestHandler answers them with the field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.AddExceptionHandler<DataExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi(OpenApiDescription.Configure);
        builder.Services.AddHealthChecks()
            .AddCheck<StartupCheck>("startup", tags: ["ready"])
            .AddNpgSql(timeout: TimeSpan.FromSeconds(2), tags: ["ready"]);

        var app = builder.Build();
        app.UseForwardedHeaders();          // the real client address and scheme, from a configured proxy only
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<AuditTrail>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBounds>();
        app.UseMiddleware<CrossOriginGuard>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseMiddleware<SessionGate>();   // a cookie or token counts only while its session is open
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseLiveLimits();

        // Open to all: health, sign-in, the API's description and the web app itself.
        app.MapHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapAuth();
        app.MapUsers();
        // Everything else needs a signed-in user (the fallback policy).
        app.MapRegions();
        app.MapTiles();
        app.MapCategories();
        app.MapIncidents();
        app.MapAudit();
        app.MapLive();
        app.MapStaff();
        app.MapDuty();
        app.MapConferences();
        app.MapSupervisionOrders();
        app.MapMediation();
        app.MapFollowUps();
        app.MapDepartments();
        app.MapAlerts();
        app.MapJobs();
        ThreeZeros.ThreeZerosApi.MapThreeZeros(app);
        RiskAssessments.RiskAssessmentsApi.MapRiskAssessments(app);
        Stats.StatsApi.MapStats(app);
        Kpis.KpisApi.MapKpis(app);
        Visits.VisitsApi.MapVisits(app);
        Exports.ExportsApi.MapExports(app);
        Briefings.BriefingsApi.MapBriefings(app);
        // Unknown API paths answer as the API does; every other path is a screen of the web app.
        app.Map("/api/{**rest}", () => Problems.NotFound("没有这个接口。"));
        app.MapFallbackToFile("index.html").AllowAnonymous();
        return app;
    }
}
