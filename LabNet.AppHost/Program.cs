using LabNet.AppHost;
using LabNet.AppHost.Canary;
using LabNet.AppHost.Lab;
using LabNet.AppHost.Traffic;

var builder = DistributedApplication.CreateBuilder(args);

// The lab spec, the manifests and the kubeconfigs live in the repository, where the person who ran `dotnet run` stands.
var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
if (!StartupChecks.Pass(builder.Configuration, repositoryRoot, Console.Error, out var mode, out var scenario))
{
    return 1;
}

var specPath = LabSpecSetting.Path(builder.Configuration, repositoryRoot);
var kubeconfigs = builder.Configuration["LabNet:KubeconfigDirectory"] is { Length: > 0 } configured
    ? Path.GetFullPath(configured)
    : Path.Combine(repositoryRoot, "kubeconfig");

// Simulation: the digital twin of the Mac, Tart, the clusters, Cilium, Hubble and Istio. Real mode has no simulator.
var simulator = mode is LabMode.Simulation
    ? builder.AddProject<Projects.LabNet_Simulator>("simulator")
        .WithHttpHealthCheck("/health")
        .WithEnvironment("Simulator__Clock__SpeedFactor", builder.Configuration["LabNet:Simulation:SpeedFactor"] ?? "60")
    : null;

var provisioner = builder.AddProject<Projects.LabNet_Provisioner>("provisioner")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Lab__SpecPath", specPath)
    .WithEnvironment("Lab__KubeconfigDirectory", kubeconfigs)
    .WithEnvironment("Lab__ManifestsDirectory", Path.Combine(repositoryRoot, "manifests"))
    .WithLabTools(simulator, builder.Configuration, repositoryRoot)
    .WithSshPassword(builder);

// The lab itself: per-cluster progress and the plan / apply / destroy commands, nested under the Provisioner.
builder.AddLab("lab", provisioner, applyAtStart: scenario is not LabScenario.None);

var flowCollector = builder.AddProject<Projects.LabNet_FlowCollector>("flowcollector")
    .WithHttpHealthCheck("/health")
    .WithHubbleRelays(simulator, builder.Configuration, specPath, kubeconfigs)
    .WithLabWorld(simulator);

var canaryController = builder.AddProject<Projects.LabNet_CanaryController>("canarycontroller")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("CanaryController__Kubeconfig", Path.Combine(kubeconfigs, "dev.yaml"))
    .WithLabWorld(simulator)
    .WithReference(flowCollector)
    .WaitFor(flowCollector)
    .WaitFor(provisioner);

// The httpbin canary of manifests/canary/: phase, weight and last decision, with pause / resume / promote / abort / restart.
var canary = builder.AddCanaryRollout("httpbin-canary", canaryController, "demo", "httpbin");

// The demo traffic (simulation only): rate up / down, and the canary's faults (errors, latency) that break and mend httpbin v2.
if (simulator is not null)
{
    var traffic = builder.AddTraffic("traffic", simulator);
    if (scenario is LabScenario.BadCanary or LabScenario.SlowCanary)
    {
        canary.WithFaultWhenProgressing(traffic, scenario is LabScenario.BadCanary ? CanaryFault.Errors : CanaryFault.Latency);
    }
}

await builder.Build().RunAsync();
return 0;
