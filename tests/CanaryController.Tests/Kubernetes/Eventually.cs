namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>Waits for a condition that a background loop makes true, with a hard timeout.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
