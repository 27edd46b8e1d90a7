using LabNet.AppHost;
using LabNet.AppHost.Lab;

var builder = DistributedApplication.CreateBuilder(args);

if (!StartupChecks.Pass(builder.Configuration, Console.Error, out var mode))
{
    return 1;
}

// Simulation: the digital twin of the Mac, Tart, the clusters, Cilium, Hubble and Istio. Real mode has no simulator.
var simulator = mode is LabMode.Simulation
    ? builder.AddProject<Projects.LabNet_Simulator>("simulator")
        .WithHttpHealthCheck("/health")
    : null;

// The lab spec and the kubeconfigs live in the repository, where the person who ran `dotnet run` stands.
var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

var provisioner = builder.AddProject<Projects.LabNet_Provisioner>("provisioner")
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Lab__SpecPath", Path.Combine(repositoryRoot, "config", "clusters.json"))
    .WithEnvironment("Lab__KubeconfigDirectory", Path.Combine(repositoryRoot, "kubeconfig"))
    .WithEnvironment("Lab__ManifestsDirectory", Path.Combine(repositoryRoot, "manifests"))
    .WithLabWorld(simulator);

// The lab itself: per-cluster progress and the plan / apply / destroy commands, nested under the Provisioner.
builder.AddLab("lab", provisioner, applyAtStart: false);

var flowCollector = builder.AddProject<Projects.LabNet_FlowCollector>("flowcollector")
    .WithHttpHealthCheck("/health")
    .WithLabWorld(simulator);

builder.AddProject<Projects.LabNet_CanaryController>("canarycontroller")
    .WithHttpHealthCheck("/health")
    .WithLabWorld(simulator)
    .WithReference(flowCollector)
    .WaitFor(flowCollector)
    .WaitFor(provisioner);

await builder.Build().RunAsync();
return 0;
