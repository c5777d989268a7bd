namespace Dispatch.Server.Identity;

/// <summary>The roles of docs/api.md. A user may hold several; their region bounds all of them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Dispatcher = "dispatcher";
    public const string Supervisor = "supervisor";
    /// <summary>Field staff of any kind (grid worker, police, legal adviser, mediator): the staff row says which.</summary>
    public const string Field = "field";
    /// <summary>A wall display: reads everything in its region, writes nothing.</summary>
    public const string Wall = "wall";
    public const string Auditor = "auditor";
    /// <summary>A functional department (住建, 人社, …): sees and answers only the cases handed to it; its region is <c>dept-&lt;code&gt;</c>.</summary>
    public const string Department = "department";

    public static readonly string[] All = [Admin, Dispatcher, Supervisor, Field, Wall, Auditor, Department];

    /// <summary>Policies, by what a caller may do rather than who they are.</summary>
    public static class Can
    {
        public const string Report = "can-report";
        public const string Dispatch = "can-dispatch";
        public const string Audit = "can-audit";
    }
}
