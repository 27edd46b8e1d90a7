using System.Diagnostics;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>A full apply reads in the dashboard as one trace tree per cluster (the spans of the shared applied lab).</summary>
[Collection(AppliedLabCollection.Name)]
public sealed class ApplyTraceTests(AppliedLabFixture fixture, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string[]> Clusters = new()
    {
        ["platform"] = ["platform-master", "platform-worker1", "platform-worker2"],
        ["dev"] = ["dev-master", "dev-worker1"],
        ["staging"] = ["staging-master", "staging-worker1"],
        ["prod"] = ["prod-master", "prod-worker1", "prod-worker2"],
    };

    [Fact]
    public void A_full_apply_is_one_trace_per_cluster_from_cluster_to_phase_node_step_and_tool_run()
    {
        Assert.True(fixture.FirstApply["status"]?.GetValue<string>() == "succeeded", fixture.FirstApply.ToJsonString());
        var spans = fixture.FirstApplySpans;

        var apply = Assert.Single(spans, s => s.DisplayName == "lab apply");
        Assert.Equal([apply], spans.Where(s => s.TraceId == apply.TraceId));
        var roots = spans.Where(s => s.DisplayName.StartsWith("cluster ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Clusters.Keys.Order(), roots.Select(r => (string)r.GetTagItem("labnet.cluster")!).Order());

        foreach (var root in roots)
        {
            var cluster = (string)root.GetTagItem("labnet.cluster")!;
            Assert.Equal(default, root.ParentSpanId);
            Assert.Equal(apply.SpanId, Assert.Single(root.Links).Context.SpanId);

            var tree = spans.Where(s => s.TraceId == root.TraceId).ToDictionary(s => s.SpanId);
            var toolRuns = tree.Values.Where(s => s.GetTagItem("labnet.tool") is not null).ToList();
            output.WriteLine($"trace of {cluster}: {tree.Count} spans, {toolRuns.Count} tool runs, phases: " +
                string.Join(", ", tree.Values.Where(s => s.ParentSpanId == root.SpanId).OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName)));
            Assert.NotEmpty(toolRuns);

            foreach (var span in tree.Values)
            {
                // Everything in the tree hangs from this cluster's root and names no other cluster or VM.
                Assert.Equal(root, Root(span, tree));
                Assert.True(span.GetTagItem("labnet.cluster") is null || (string?)span.GetTagItem("labnet.cluster") == cluster,
                    $"{span.DisplayName} in the trace of {cluster} is tagged {span.GetTagItem("labnet.cluster")}");
                if (span.GetTagItem("labnet.vm") is string vm)
                {
                    Assert.Contains(vm, Clusters[cluster]);
                }
            }

            foreach (var run in toolRuns)
            {
                var path = Ancestry(run, tree).Select(s => s.DisplayName.Split(' ')[0]).ToList();
                Assert.True(path is ["step", "node", "phase", "cluster"] or ["step", "phase", "cluster"], $"{run.DisplayName}: {string.Join(" <- ", path)}");
                Assert.Equal(ActivityKind.Client, run.Kind);
                Assert.NotNull(run.GetTagItem("labnet.step"));
                Assert.NotNull(run.GetTagItem("process.exit.code"));
                Assert.StartsWith((string)run.GetTagItem("labnet.tool")!, run.DisplayName);
            }
        }

        // The ssh password is in no span's name, tag or event of the whole apply.
        Assert.All(spans, span =>
        {
            var texts = new[] { span.DisplayName, span.StatusDescription ?? "" }
                .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")));
            Assert.DoesNotContain(texts, text => text.Contains(AppliedLabFixture.SshPassword, StringComparison.Ordinal));
        });
    }

    private static Activity Root(Activity span, IReadOnlyDictionary<ActivitySpanId, Activity> tree) => Ancestry(span, tree).LastOrDefault() ?? span;

    /// <summary>The span's parent, its parent's parent... up to the root of its trace.</summary>
    private static IEnumerable<Activity> Ancestry(Activity span, IReadOnlyDictionary<ActivitySpanId, Activity> tree)
    {
        for (var current = span; current.ParentSpanId != default;)
        {
            Assert.True(tree.TryGetValue(current.ParentSpanId, out var parent), $"{current.DisplayName} has a parent outside its cluster's trace");
            yield return parent!;
            current = parent!;
        }
    }
}
