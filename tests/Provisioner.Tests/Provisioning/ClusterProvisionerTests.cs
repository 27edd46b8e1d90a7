using System.Diagnostics;
using LabNet.Provisioner.Guest;
using LabNet.Provisioner.Helm;
using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Provisioning;
using LabNet.Provisioner.Spec;
using LabNet.Provisioner.Tart;
using LabNet.Provisioner.Tests.Tools;
using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tests.Provisioning;

[Collection(SpanCollection.Name)]
public sealed class ClusterProvisionerTests : IDisposable
{
    private static readonly ClusterSpec Dev = new("dev", "10.20.0.0/16", "10.97.0.0/16",
        [new NodeSpec("dev-master", NodeRole.Master, 2, 4096, 20), new NodeSpec("dev-worker1", NodeRole.Worker, 2, 8192, 20)]);

    private readonly TestMeterFactory _meters = new();
    private readonly ProvisionerTelemetry _telemetry;
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;
    private readonly List<string> _log = [];

    public ClusterProvisionerTests()
    {
        _telemetry = new ProvisionerTelemetry(_meters);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProvisionerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => { lock (_spans) { _spans.Add(span); } },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task Steps_already_done_are_skipped_and_the_rest_run_in_order()
    {
        var (progress, provisioner) = Provisioner();
        var clone = Step("dev-master", "vm.clone", done: true);
        var start = Step("dev-master", "vm.start");
        var init = Step(null, "kubeadm.init");
        var plan = Plan(Phase("vms", Sequence("dev-master", clone, start)), Phase("control-plane", Sequence(null, init)));

        var error = await provisioner.ApplyAsync(plan, Context(), CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(["dev/dev-master/vm.start", "dev/kubeadm.init"], _log);
        var state = Assert.Single(progress.Snapshot().Clusters);
        Assert.Equal(ClusterState.Succeeded, state.State);
        Assert.Equal((3, 1), (state.StepsDone, state.StepsSkipped));
        Assert.Equal(true, _spans.Single(s => s.DisplayName == "step vm.clone").GetTagItem("labnet.step.skipped"));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_passes()
    {
        var (_, provisioner) = Provisioner();
        var ssh = Step("dev-master", "vm.ssh");
        ssh.TransientFailures = 2;

        var error = await provisioner.ApplyAsync(Plan(Phase("vms", Sequence("dev-master", ssh))), Context(), CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(3, ssh.Runs);
        var span = _spans.Single(s => s.DisplayName == "step vm.ssh");
        Assert.Equal(3, span.GetTagItem("labnet.step.attempts"));
        Assert.Equal(2, span.Events.Count(e => e.Name == "retry"));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_is_reported()
    {
        var (progress, provisioner) = Provisioner(maxAttempts: 3);
        var ssh = Step("dev-master", "vm.ssh");
        ssh.TransientFailures = 10;

        var error = await provisioner.ApplyAsync(Plan(Phase("vms", Sequence("dev-master", ssh))), Context(), CancellationToken.None);

        Assert.Equal("dev/dev-master/vm.ssh failed after 3 attempts: vm.ssh not ready yet", error);
        Assert.Equal(3, ssh.Runs);
        Assert.Equal(ClusterState.Failed, progress.Snapshot().Clusters.Single().State);
    }

    [Fact]
    public async Task A_permanent_failure_stops_the_cluster_before_its_next_phase()
    {
        var (_, provisioner) = Provisioner();
        var address = Step("dev-worker1", "vm.address");
        address.PermanentFailure = "VM dev-worker1 got no IP address within 180 s";
        var masterAddress = Step("dev-master", "vm.address");
        var init = Step(null, "kubeadm.init");
        var plan = Plan(Phase("vms", Sequence("dev-master", masterAddress), Sequence("dev-worker1", address)), Phase("control-plane", Sequence(null, init)));

        var error = await provisioner.ApplyAsync(plan, Context(), CancellationToken.None);

        Assert.Equal("dev/dev-worker1/vm.address failed: VM dev-worker1 got no IP address within 180 s", error);
        Assert.Equal(1, address.Runs);
        Assert.Equal(0, init.Runs);
        Assert.Equal(ActivityStatusCode.Error, _spans.Single(s => s.DisplayName == "cluster dev").Status);
    }

    [Fact]
    public async Task Spans_nest_as_cluster_phase_node_step_under_a_cluster_root_linked_to_the_operation()
    {
        var (_, provisioner) = Provisioner();

        using (var operation = _telemetry.Source.StartActivity("lab apply"))
        {
            await provisioner.ApplyAsync(Plan(Phase("vms", Sequence("dev-master", Step("dev-master", "vm.clone")))), Context(), CancellationToken.None);
        }

        var apply = _spans.Single(s => s.DisplayName == "lab apply");
        var cluster = _spans.Single(s => s.DisplayName == "cluster dev");
        var phase = _spans.Single(s => s.DisplayName == "phase vms");
        var node = _spans.Single(s => s.DisplayName == "node dev-master");
        var step = _spans.Single(s => s.DisplayName == "step vm.clone");
        Assert.Equal(default, cluster.ParentSpanId);
        Assert.NotEqual(apply.TraceId, cluster.TraceId);
        Assert.Equal(apply.SpanId, Assert.Single(cluster.Links).Context.SpanId);
        Assert.Equal(cluster.SpanId, phase.ParentSpanId);
        Assert.Equal(phase.SpanId, node.ParentSpanId);
        Assert.Equal(node.SpanId, step.ParentSpanId);
        Assert.Equal("dev/dev-master/vm.clone", step.GetTagItem("labnet.step"));
        Assert.Equal(("dev", "dev-master"), (step.GetTagItem("labnet.cluster"), step.GetTagItem("labnet.vm")));
    }

    [Fact]
    public void The_modelled_duration_runs_the_sequences_of_a_phase_in_parallel()
    {
        var plan = Plan(
            Phase("vms", Sequence("a", Step("a", "one", seconds: 10), Step("a", "two", seconds: 5)), Sequence("b", Step("b", "one", seconds: 20))),
            Phase("cni", Sequence(null, Step(null, "cilium", seconds: 30))));

        Assert.Equal(TimeSpan.FromSeconds(50), plan.ExpectedDuration);
        Assert.Equal(TimeSpan.FromSeconds(65), plan.SequentialDuration);
    }

    private (LabProgress Progress, ClusterProvisioner Provisioner) Provisioner(int maxAttempts = 5)
    {
        var progress = new LabProgress(TimeProvider.System);
        progress.Begin("apply", [("dev", 0)]);
        var retry = Options.Create(new RetryOptions { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        return (progress, new ClusterProvisioner(_telemetry, progress, retry, TimeProvider.System, NullLogger<ClusterProvisioner>.Instance));
    }

    private RecordingStep Step(string? node, string name, bool done = false, int seconds = 10) =>
        new("dev", node, name, _log) { Done = done, ExpectedDuration = TimeSpan.FromSeconds(seconds) };

    private static StepSequence Sequence(string? node, params IProvisioningStep[] steps) => new(node, steps);

    private static ProvisioningPhase Phase(string name, params StepSequence[] sequences) => new(name, sequences);

    private static ClusterPlan Plan(params ProvisioningPhase[] phases) => new(Dev, phases);

    private static ClusterContext Context()
    {
        var lab = Options.Create(new LabOptions());
        var tools = Options.Create(new ToolPathsOptions());
        var runner = new CliToolRunner(new ProvisionerTelemetry(new TestMeterFactory()), tools, TimeProvider.System, NullLogger<CliToolRunner>.Instance);
        var kubeconfigs = new KubeconfigStore(lab);
        return new ClusterContext(
            new LabSpec("image", "admin", new SshPassword("admin"), [Dev]),
            Dev,
            new SshPassword("admin"),
            new ProvisioningTools(new TartCli(runner, tools), new SshCli(runner, tools), new HelmCli(runner, tools), kubeconfigs, new ClusterApiClients(kubeconfigs, TimeProvider.System), TimeProvider.System));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _telemetry.Dispose();
        _meters.Dispose();
    }
}
