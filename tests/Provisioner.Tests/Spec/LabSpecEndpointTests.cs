using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tests.Spec;

public sealed class LabSpecEndpointTests
{
    [Fact]
    public async Task The_spec_endpoint_shows_the_lab_without_the_ssh_password()
    {
        await using var factory = Provisioner(("Lab:SpecPath", RepositoryRoot.Combine("config", "clusters.json")));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/lab/spec").WaitAsync(TimeSpan.FromSeconds(30));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(10, json.RootElement.GetProperty("vmCount").GetInt32());
        Assert.True(json.RootElement.GetProperty("sshPasswordSet").GetBoolean());
        Assert.DoesNotContain("password\":\"", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_invalid_spec_answers_422_with_every_problem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"labnet-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "base_image": "img", "clusters": [ { "name": "a", "pod_cidr": "10.1.0.0/16", "service_cidr": "10.1.0.0/16", "nodes": [] } ] }""");
        try
        {
            await using var factory = Provisioner(("Lab:SpecPath", file));
            using var client = factory.CreateClient();

            using var response = await client.GetAsync("/api/lab/spec").WaitAsync(TimeSpan.FromSeconds(30));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var paths = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("jsonPath").GetString()).ToList();
            Assert.Equal(["$.ssh_user"], paths);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Invalid_host_options_are_rejected_naming_the_setting()
    {
        var options = new LabOptions { Host = new LabOptions.HostOptions { CpuCount = 0, VmNetworkCidr = "" } };

        var result = new LabOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("CpuCount", result.FailureMessage);
        Assert.Contains("VmNetworkCidr", result.FailureMessage);
    }

    private static WebApplicationFactory<Program> Provisioner(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
}
