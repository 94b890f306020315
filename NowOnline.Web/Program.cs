using NowOnline.Web;
using NowOnline.Web.Api.Health;
using NowOnline.Web.Security;

if (AdminCommand.IsCommand(args)) return await AdminCommand.RunAsync(args, AdminConsole.System);

// Listens first, then migrates and restores (live at once, ready when done); a failed start-up stops the app.
await using var app = NowOnlineApp.Compose(args);
await app.RunAsync();
var failure = app.Services.GetRequiredService<StartupGate>().Failure;
if (failure is AdminSetupException) Console.Error.WriteLine($"NowOnline cannot start: {failure.Message}");
return failure is null ? 0 : 1;
