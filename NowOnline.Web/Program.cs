using NowOnline.Web;
using NowOnline.Web.Api.Health;
using NowOnline.Web.Security;

if (AdminCommand.IsCommand(args)) return await AdminCommand.RunAsync(args, AdminConsole.System);

// Listens first, then migrates and restores (live at once, ready when done); a failed start-up stops the app.
await using var app = NowOnlineApp.Compose(args);
// Taken before running: RunAsync disposes the app's services when it stops (SIGTERM from systemd, Ctrl+C).
var gate = app.Services.GetRequiredService<StartupGate>();
await app.RunAsync();
var failure = gate.Failure;
if (failure is AdminSetupException) Console.Error.WriteLine($"NowOnline cannot start: {failure.Message}");
return failure is null ? 0 : 1;
