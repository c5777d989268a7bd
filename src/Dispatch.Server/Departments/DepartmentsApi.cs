namespace Dispatch.Server.Departments;

public sealed record DepartmentView(string Code, string Name, string NameEn);

/// <summary>
/// 多部门联动: a centre hands a case to a functional department with instructions and a deadline;
/// the department's account accepts it, returns it with a reason, or reports the result; the centre
/// verifies (or sends the result back). A department sees only its cases, reporters and parties masked.
/// </summary>
public static class DepartmentsApi
{
    public static IEndpointRouteBuilder MapDepartments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/departments").WithTags("Departments");
        api.MapGet("/", List).Produces<List<DepartmentView>>();
        api.MapGet("/tasks", ListTasks.Handle).Produces<List<DepartmentTaskView>>();
        foreach (var answer in AnswerTask.Answers)
            api.MapPost($"/tasks/{{id:long}}/{answer}", (long id, HttpContext http, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
                    AnswerTask.Handle(id, answer, http, db, clock, ct))
                .RequireAuthorization(p => p.RequireRole(Roles.Department)).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
                .Accepts<TaskAnswer>("application/json").Produces<DepartmentTaskView>();
        api.MapPost("/tasks/{id:long}/verify", VerifyTask.Handle).RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<TaskVerdict>("application/json").Produces<DepartmentTaskView>();
        app.MapPost("/api/incidents/{id:long}/departments", HandToDepartment.Handle).WithTags("Departments").RequireAuthorization(Roles.Can.Dispatch)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 << 10))
            .Accepts<NewDepartmentTask>("application/json").Produces<DepartmentTaskView>(201);
        return app;
    }

    static async Task<IResult> List(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok((await conn.QueryAsync<DepartmentView>(new CommandDefinition(
            "SELECT code, name, name_en FROM department ORDER BY code", cancellationToken: ct))).ToList());
    }

    /// <summary>The region a department's accounts carry: it covers no grid, so they see only the cases handed to them.</summary>
    public static string RegionOf(string departmentCode) => $"dept-{departmentCode}";
}
