using NowOnline.Web;

var app = await NowOnlineApp.BuildAsync(args);
await app.RunAsync();
