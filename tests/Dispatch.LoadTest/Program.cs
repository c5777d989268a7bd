using Dispatch.LoadTest;

// dotnet run -c Release --project tests/Dispatch.LoadTest -- intake [--url U] [--rate R] [--duration S] [--ramp] [--db CONNSTRING]
//                                                         live [--clients N] [--rate R] [--duration S] [--stalled PERCENT] [--server-pid PID]
var options = Options.Parse(args);
return options.Command switch
{
    "intake" => await IntakeLoad.RunAsync(options),
    "live" => await LiveLoad.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Dispatch.LoadTest intake [--url http://127.0.0.1:5080] [--user city.dispatcher] [--password P]
                                        [--rate 200] [--duration 30] [--ramp] [--db <connection string for the INSERT anchor>]
               Dispatch.LoadTest live [--url U] [--clients 2000] [--rate 200] [--duration 30] [--stalled 1] [--server-pid PID]
        """);
    return 2;
}
