using LabNet.Simulator.Kubernetes;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddKubernetesApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapKubernetesApi();

app.Run();
