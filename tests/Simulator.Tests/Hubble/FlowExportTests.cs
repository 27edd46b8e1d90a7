using System.Text.Json;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Tests.Cilium;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Hubble;

public sealed class FlowExportTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Last_n_flows_of_a_cluster_come_as_hubble_observe_json_lines()
    {
        var f = new FlowFixtures();
        var flows = f.Builder.Build(f.Tcp(DemoLab.Redis, DemoLab.HttpbinV1, 80), f.Lab.Engine.Decide(DemoLab.Redis, DemoLab.HttpbinV1, IpProtocol.Tcp, 80));
        using var client = factory.CreateClient();
        factory.Services.GetRequiredService<HubbleClusters>().Find("dev")!.Publish(flows);

        var text = await client.GetStringAsync("/hubble/flows?cluster=dev&last=1").WaitAsync(TimeSpan.FromSeconds(30));

        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var flow = json.RootElement.GetProperty("flow");
        Assert.Equal("DROPPED", flow.GetProperty("verdict").GetString());
        Assert.Equal("POLICY_DENIED", flow.GetProperty("drop_reason_desc").GetString());
        Assert.Equal(flows[^1].Uuid, flow.GetProperty("uuid").GetString());
        Assert.Equal("dev/dev-worker1", json.RootElement.GetProperty("node_name").GetString());
    }
}
