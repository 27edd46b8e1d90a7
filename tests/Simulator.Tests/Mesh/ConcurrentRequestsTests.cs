using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class ConcurrentRequestsTests
{
    [Fact]
    public async Task Requests_from_many_threads_share_one_sidecars_outlier_state_without_errors()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Settings = lab.Settings with { Pods = new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) } };
        var topology = lab.Topology;
        var backends = topology.Backends(MeshLab.Httpbin);
        var canary = new Dictionary<string, string> { ["x-canary"] = "true" };

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            var served = new List<MeshResponse>();
            for (var i = 0; i < 300; i++)
            {
                var request = new MeshRequest(MeshLab.Nginx, MeshLab.Httpbin, backends, 80, new HttpRequestInfo("GET", "/get", "httpbin", canary), MeshLab.Start) { WantBody = worker % 2 == 0 };
                served.Add(lab.DataPlane.Send(request, topology, random));
            }

            return served;
        })).ToArray();
        var all = (await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30))).SelectMany(r => r).ToList();

        // One sidecar: the lone v2 pod is ejected after 3 consecutive errors (attempts, retries included), whichever threads
        // sent them; a request already past the load balancer in each other thread may still reach it, as in Envoy. Whose
        // last attempt that was depends on the threads' interleaving (a request whose retry found v2 ejected ends with
        // Envoy's own 503), so only the bound is fixed: every answer is v2's 503 or "no healthy upstream".
        Assert.Equal(8 * 300, all.Count);
        var answeredByV2 = all.Count(r => r.ServedBy == MeshLab.HttpbinV2);
        Assert.InRange(answeredByV2, 0, 3 + 7);
        Assert.All(all, r => Assert.Equal(503, r.Status));
        Assert.Equal(8 * 300 - answeredByV2, all.Count(r => r.Body == EnvoyReplies.NoHealthyUpstream));
        Assert.True(lab.Sidecars.Find("dev", "demo", MeshLab.Nginx.Name, "outbound|80|v2|httpbin.demo.svc.cluster.local")!.IsEjected(MeshLab.HttpbinV2.Name, MeshLab.Start));
    }
}
