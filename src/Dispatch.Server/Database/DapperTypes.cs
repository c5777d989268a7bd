using System.Data;

namespace Dispatch.Server.Database;

/// <summary>
/// What Dapper needs to map Npgsql's values onto our records by column name. Npgsql reports
/// <c>timestamptz</c> and <c>date</c> as <see cref="DateTime"/> and arrays as <see cref="Array"/>,
/// and Dapper's constructor matching takes only exact types unless a handler is registered; these
/// handlers convert on read and hand parameters to Npgsql unchanged (it infers the same types).
/// </summary>
public static class DapperTypes
{
    public static void Register()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true; // snake_case columns onto PascalCase members
        SqlMapper.AddTypeHandler(new Handler<DateTimeOffset>(v => v is DateTime t ? new DateTimeOffset(t.ToUniversalTime()) : (DateTimeOffset)v));
        SqlMapper.AddTypeHandler(new Handler<DateOnly>(v => v is DateTime t ? DateOnly.FromDateTime(t) : (DateOnly)v));
        SqlMapper.AddTypeHandler(new Handler<string[]>(v => (string[])v));
        SqlMapper.AddTypeHandler(new Handler<long[]>(v => (long[])v));
        SqlMapper.AddTypeHandler(new Handler<DateTimeOffset[]>(v => (DateTimeOffset[])v)); // a parameter for unnest, never read back
    }

    sealed class Handler<T>(Func<object, T> parse) : SqlMapper.TypeHandler<T>
    {
        public override T Parse(object value) => parse(value);
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = (object?)value ?? DBNull.Value;
    }
}
