using LabNet.Simulator.Mesh;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class OutlierDetectionTests
{
    private static readonly Dictionary<string, string> CanaryHeader = new() { ["x-canary"] = "true" };
    private static readonly OutlierDetectionSettings Seed = new(3, 0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 50);
    private static readonly DateTimeOffset T0 = MeshLab.Start;

    [Fact]
    public void A_v2_pod_answering_5xx_is_ejected_after_3_errors_and_the_subset_answers_503_until_it_returns_after_30_seconds()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        WithoutRetries(lab);
        lab.Settings = lab.Settings with { Pods = new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) } };

        var first = Enumerable.Range(0, 3).Select(_ => lab.Get(MeshLab.Nginx, at: T0, headers: CanaryHeader)).ToList();
        var flowsBefore = lab.Flows.Count;
        var ejected = lab.Get(MeshLab.Nginx, at: T0 + TimeSpan.FromSeconds(1), headers: CanaryHeader);
        var stillOut = lab.Get(MeshLab.Nginx, at: T0 + TimeSpan.FromSeconds(29), headers: CanaryHeader);
        var back = lab.Get(MeshLab.Nginx, at: T0 + TimeSpan.FromSeconds(30), headers: CanaryHeader);

        Assert.All(first, r => Assert.Equal((503, false, MeshLab.HttpbinV2), (r.Status, r.LocalReply, r.ServedBy)));
        Assert.Equal((503, EnvoyReplies.NoHealthyUpstream, true), (ejected.Status, ejected.Body, ejected.LocalReply));
        Assert.Equal(EnvoyReplies.NoHealthyUpstream, stillOut.Body);
        Assert.Equal(flowsBefore, lab.Flows.Count - FlowsOf(lab, T0 + TimeSpan.FromSeconds(30)));
        Assert.Equal(MeshLab.HttpbinV2, back.ServedBy);
    }

    [Fact]
    public void With_istios_default_retries_one_request_makes_the_3_attempts_that_eject_a_lone_failing_v2_pod()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Settings = lab.Settings with { Pods = new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) } };

        var first = lab.Get(MeshLab.Nginx, at: T0, headers: CanaryHeader);
        var next = lab.Get(MeshLab.Nginx, at: T0, headers: CanaryHeader);

        Assert.Equal((503, MeshLab.HttpbinV2), (first.Status, first.ServedBy));
        Assert.Equal(3, lab.Flows.Count(f => f.L4?.TCP?.Flags is { SYN: true, ACK: false } && f.EventType.Type == LabNet.Simulator.Hubble.Flows.HubbleEventTypes.Trace));
        Assert.Equal(EnvoyReplies.NoHealthyUpstream, next.Body);
    }

    [Fact]
    public void A_retry_goes_to_another_healthy_host_and_the_app_sees_the_attempt_count()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Settings = lab.Settings with { Pods = new() { [MeshLab.HttpbinV1a.Name] = new VersionBehaviour(1.0, 10, 60) } };

        var answers = Enumerable.Range(0, 40).Select(_ => lab.Get(MeshLab.Nginx, at: T0)).Where(r => r.ServedBy?.Label("version") == "v1").ToList();

        Assert.All(answers, r => Assert.Equal(200, r.Status));
        Assert.Contains(answers, r => r.Body.Contains("\"X-Envoy-Attempt-Count\": \"2\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Weighted_traffic_keeps_going_to_v1_while_v2_is_ejected()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Settings = lab.Settings with { Pods = new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) } };
        Enumerable.Range(0, 3).ToList().ForEach(_ => lab.Get(MeshLab.Nginx, at: T0, headers: CanaryHeader));

        var split = Enumerable.Range(0, 500).Select(_ => lab.Get(MeshLab.Nginx, at: T0 + TimeSpan.FromSeconds(5))).ToList();

        // The route picks the subset first: v2's share turns into local 503s, it never spills over to v1.
        Assert.All(split.Where(r => r.ServedBy is not null), r => Assert.Equal("v1", r.ServedBy!.Label("version")));
        Assert.InRange(split.Count(r => r.Body == EnvoyReplies.NoHealthyUpstream), 50, 150);
    }

    [Fact]
    public void A_second_ejection_lasts_60_seconds()
    {
        var detector = new OutlierDetector("outbound|80|v2|httpbin.demo.svc.cluster.local", Seed, T0);
        Fail(detector, "v2", 3, 1, T0);
        Assert.True(detector.IsEjected("v2", T0 + TimeSpan.FromSeconds(29)));
        Assert.False(detector.IsEjected("v2", T0 + TimeSpan.FromSeconds(30)));

        // Failing again as soon as it is back: ejected for 2 x 30 s, until the sweep at +90 s.
        Fail(detector, "v2", 3, 1, T0 + TimeSpan.FromSeconds(30));

        Assert.Equal(2, detector.EjectionMultiplier("v2"));
        Assert.True(detector.IsEjected("v2", T0 + TimeSpan.FromSeconds(89)));
        Assert.False(detector.IsEjected("v2", T0 + TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void With_two_failing_v1_pods_and_max_ejection_50_percent_only_one_is_ejected()
    {
        var detector = new OutlierDetector("outbound|80|v1|httpbin.demo.svc.cluster.local", Seed, T0);

        Fail(detector, "v1a", 3, 2, T0);
        Fail(detector, "v1b", 3, 2, T0);
        Fail(detector, "v1b", 3, 2, T0);

        Assert.True(detector.IsEjected("v1a", T0));
        Assert.False(detector.IsEjected("v1b", T0));
    }

    [Fact]
    public void A_success_resets_the_consecutive_error_counter()
    {
        var detector = new OutlierDetector("outbound|80|v1|httpbin.demo.svc.cluster.local", Seed, T0);

        Fail(detector, "v1a", 2, 2, T0);
        detector.Record("v1a", 200, 2, T0);
        Fail(detector, "v1a", 2, 2, T0);

        Assert.False(detector.IsEjected("v1a", T0));
        Fail(detector, "v1a", 1, 2, T0);
        Assert.True(detector.IsEjected("v1a", T0));
    }

    [Fact]
    public void Consecutive_gateway_errors_eject_on_502_503_504_but_not_on_500()
    {
        var detector = new OutlierDetector("c", new OutlierDetectionSettings(0, 2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 100), T0);

        detector.Record("a", 500, 2, T0);
        detector.Record("a", 500, 2, T0);
        Assert.False(detector.IsEjected("a", T0));
        detector.Record("a", 502, 2, T0);
        detector.Record("a", 504, 2, T0);
        Assert.True(detector.IsEjected("a", T0));
    }

    private static void WithoutRetries(MeshLab lab)
    {
        var vs = LabNet.Simulator.Tests.Cilium.YamlManifests.LoadDirectory(MeshLab.ShippedIstio).Single(o => o["metadata"]!["name"]!.GetValue<string>() == "httpbin-routing");
        foreach (var route in vs["spec"]!["http"]!.AsArray())
        {
            route!["retries"] = new System.Text.Json.Nodes.JsonObject { ["attempts"] = 0 };
        }

        lab.Api.Apply(vs);
    }

    private static void Fail(OutlierDetector detector, string host, int times, int hosts, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++)
        {
            detector.Record(host, 503, hosts, at);
        }
    }

    private static int FlowsOf(MeshLab lab, DateTimeOffset notBefore) =>
        lab.Flows.Count(f => f.Time.ToDateTimeOffset() > notBefore - TimeSpan.FromSeconds(1));
}
