using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class HttpbinResponseTests
{
    private static readonly Dictionary<string, string> CanaryHeader = new() { ["x-canary"] = "true" };

    [Fact]
    public void Get_served_by_a_v2_pod_carries_version_v2_in_the_seeds_grep_format()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var response = lab.Get(MeshLab.Nginx, "/get?show=1", headers: CanaryHeader);

        Assert.Equal(200, response.Status);
        Assert.Equal("\"version\": \"v2\"", Regex.Match(response.Body, "\"version\": \"[^\"]*\"").Value);
        var json = JsonNode.Parse(response.Body)!.AsObject();
        Assert.Equal(["args", "headers", "origin", "url", "version"], json.Select(p => p.Key));
        Assert.Equal("1", json["args"]!["show"]!.GetValue<string>());
        Assert.Equal("http://httpbin/get?show=1", json["url"]!.GetValue<string>());
        Assert.Equal("1", json["headers"]!["X-Envoy-Attempt-Count"]!.GetValue<string>());
        Assert.StartsWith("{\n  \"args\": {\n", response.Body, StringComparison.Ordinal);
        Assert.Contains(response.Headers, h => h.Key == "x-version" && h.Value == "v2");
    }

    [Fact]
    public void Status_418_returns_418_with_an_empty_body()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var response = lab.Get(MeshLab.Nginx, "/status/418");

        Assert.Equal((418, ""), (response.Status, response.Body));
    }

    [Fact]
    public void Delay_2_takes_2_seconds_more()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Settings = lab.Settings with { Versions = new() { ["v1"] = new(0, 10, 10), ["v2"] = new(0, 10, 10) } };

        var plain = lab.Get(MeshLab.Nginx, "/get");
        var delayed = lab.Get(MeshLab.Nginx, "/delay/2");

        Assert.Equal(200, delayed.Status);
        Assert.InRange((delayed.Elapsed - plain.Elapsed).TotalSeconds, 1.99, 2.01);
    }
}
