using Dispatch.Server;
using Dispatch.Server.Cli;

// One binary: a command-line verb when the first argument names one, else the server.
if (Commands.Find(args) is { } command)
    return await command.RunAsync(args[1..]);

var app = await DispatchApp.BuildAsync(args);
await app.RunAsync();
return 0;
