using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CanaryStateMachine>();
builder.Services.AddSingleton<CanaryDecisionTelemetry>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
