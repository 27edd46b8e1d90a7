using LabNet.Simulator.Faults;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Metrics;
using LabNet.Simulator.Pods;
using LabNet.Simulator.Host;
using LabNet.Simulator.LabWorld;
using LabNet.Simulator.Traffic;

var builder = WebApplication.CreateBuilder(args);

builder.RequireLoopbackOnly();
builder.AddServiceDefaults();
builder.Services.AddCiliumPolicy();
builder.Services.AddKubernetesApi();
builder.Services.AddLabWorld(builder.Configuration);
builder.Services.AddHubble(builder.Configuration);
builder.Services.AddTraffic(builder.Configuration);
builder.Services.AddMesh();
builder.Services.AddPodRuntime();
builder.Services.AddResourceMetrics();

var app = builder.Build();

app.UseWebSockets();
app.UseApiServerFaults();
app.MapDefaultEndpoints();
app.MapKubernetesApi();
app.MapLabWorld();
app.MapHubble();
app.MapTraffic();
app.MapMesh();
app.MapPodSubresources();

app.Run();
