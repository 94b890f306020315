namespace NowOnline.Tests.Support;

/// <summary>Waits for something a background worker does, with a generous limit so a slow machine does not fail the test.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out after {seconds} s waiting until {what}.");
            await Task.Delay(50);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out after {seconds} s waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
