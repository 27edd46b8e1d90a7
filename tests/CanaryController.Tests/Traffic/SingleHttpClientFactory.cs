namespace LabNet.CanaryController.Tests.Traffic;

/// <summary>Hands out clients to one address, as the service's named client does.</summary>
internal sealed class SingleHttpClientFactory(Uri baseAddress) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new() { BaseAddress = baseAddress };
}
