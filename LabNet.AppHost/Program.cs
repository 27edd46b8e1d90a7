using LabNet.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

if (!LabModeSetting.TryRead(builder.Configuration, out var mode, out var error))
{
    Console.Error.WriteLine(error);
    return 1;
}

// Simulation: the digital twin of the Mac, Tart, the clusters, Cilium, Hubble and Istio. Real mode has no simulator.
var simulator = mode is LabMode.Simulation
    ? builder.AddProject<Projects.LabNet_Simulator>("simulator")
        .WithHttpHealthCheck("/health")
    : null;

var provisioner = builder.AddProject<Projects.LabNet_Provisioner>("provisioner")
    .WithHttpHealthCheck("/health")
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
