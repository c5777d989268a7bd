using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dispatch.Server.Common;

/// <summary>
/// What the OpenAPI document says beyond what each route declares: who may call it (a bearer
/// token or the session cookie), and the problem answers every route shares by the way the
/// platform works — 401/403 where a sign-in is needed, 400 where there is input, 404 where the
/// path names something (absent and "outside your area" look the same), 409/412 on steps sent
/// with If-Match, 429 from the rate limits, 503 while the database is not ready. Routes that
/// declare a response themselves (<c>.Produces…</c>) keep it; this fills in the rest, so a new
/// route is described the moment it is mapped (OpenApiTests fails otherwise).
/// </summary>
public static class OpenApiDescription
{
    const string Bearer = "bearer", Cookie = "cookie", Problem = "ProblemDetails";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Dispatch — 鹤壁市域社会治理 指挥调度平台";
            document.Info.Description = "The platform's API. Errors are RFC 9457 problem details with a Chinese title and the field at fault. See docs/api.md.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "The token of POST /api/auth/login (Authorization: Bearer …; access_token=… on the hub's WebSocket).",
            };
            document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = IdentitySetup.CookieName,
                Description = "The session cookie a browser gets at sign-in; writes must come from the platform's own origin.",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var path = context.Description.RelativePath ?? "";
            var method = context.Description.HttpMethod ?? "GET";
            var open = metadata.OfType<IAllowAnonymous>().Any();
            var document = context.Document!;
            if (!(document.Components?.Schemas?.ContainsKey(Problem) ?? false))
                document.AddComponent(Problem, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));

            operation.Responses ??= new OpenApiResponses();
            if (!operation.Responses.Keys.Any(code => code.StartsWith('2')))
                operation.Responses["200"] = new OpenApiResponse { Description = "成功 / OK" };

            var hasInput = (operation.Parameters?.Count ?? 0) > 0 || operation.RequestBody is not null;
            if (hasInput) AddProblem(operation, document, "400", "输入有误，errors 指出字段 / bad input; errors names the field");
            if (!open)
            {
                AddProblem(operation, document, "401", "未登录或会话已结束 / not signed in, or the session ended");
                AddProblem(operation, document, "403", "无权执行 / not allowed for this role or area");
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, document)] = [] },
                ];
            }
            if (path.Contains('{')) AddProblem(operation, document, "404", "不存在或不在您的辖区内 / absent or outside your area");
            if (path.EndsWith("transitions", StringComparison.Ordinal))
            {
                AddProblem(operation, document, "409", "当前状态不允许此操作 / not allowed from the current status");
                AddProblem(operation, document, "412", "版本已过期（If-Match） / stale version");
            }
            if (method != "GET") AddProblem(operation, document, "429", "请求过于频繁，见 Retry-After / too many; see Retry-After");
            AddProblem(operation, document, "503", "数据库尚未就绪 / the database is not ready");
        });
    }

    static void AddProblem(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing) && existing.Content?.ContainsKey("application/problem+json") == true) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = existing?.Description ?? description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, document) },
            },
        };
    }
}
