using NowOnline.Web;
using NowOnline.Web.Security;

if (AdminCommand.IsCommand(args)) return await AdminCommand.RunAsync(args, AdminConsole.System);

try
{
    var app = await NowOnlineApp.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (AdminSetupException ex)
{
    Console.Error.WriteLine($"NowOnline cannot start: {ex.Message}");
    return 1;
}
