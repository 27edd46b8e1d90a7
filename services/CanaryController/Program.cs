using OpenTelemetry.Metrics;
using LabNet.CanaryController.Controller;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Telemetry;
using LabNet.CanaryController.Traffic;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CanaryStateMachine>();
builder.Services.AddSingleton<CanaryDecisionTelemetry>();
builder.Services.AddCanaryControllerAdapter(builder.Configuration);
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCanaryApi();
// Prometheus text at /metrics: labnet_canary_weight, labnet_canary_decisions_total (also exported over OTLP).
app.MapPrometheusScrapingEndpoint();

app.Run();
