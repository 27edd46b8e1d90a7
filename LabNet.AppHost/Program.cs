using LabNet.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

if (!LabModeSetting.TryRead(builder.Configuration, out var mode, out var error))
{
    Console.Error.WriteLine(error);
    return 1;
}

if (mode is LabMode.Real && RealModePreflight.FindProblems(builder.Configuration, RealModePreflight.ResolveExecutable) is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"LabNet cannot start in real mode: {missing.Count} thing(s) missing on this machine.");
    foreach (var problem in missing)
    {
        Console.Error.WriteLine($"  - {problem}");
    }

    Console.Error.WriteLine("Real mode drives Tart VMs on an Apple-silicon Mac; without a Mac, run the default simulation (LabNet:Mode=Simulation).");
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
    .WithLabWorld(simulator);

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
