using NowOnline.Web;
using NowOnline.Web.Security;

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
