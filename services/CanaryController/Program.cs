using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CanaryStateMachine>();
builder.Services.AddSingleton<CanaryDecisionTelemetry>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
