using LabNet.Provisioner;
using LabNet.Provisioner.Guest;
using LabNet.Provisioner.Helm;
using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Provisioning;
using LabNet.Provisioner.Provisioning.Steps;
using LabNet.Provisioner.Spec;
using LabNet.Provisioner.Tart;
using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// States and plans are read by people: enums as their names.
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

builder.Services.AddOptions<LabOptions>().BindConfiguration(LabOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<LabOptions>, LabOptionsValidator>();
builder.Services.AddOptions<ToolPathsOptions>().BindConfiguration(ToolPathsOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<ToolPathsOptions>, ToolPathsOptionsValidator>();
builder.Services.AddOptions<RetryOptions>().BindConfiguration("Provisioning:Retry").ValidateDataAnnotations().ValidateOnStart();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ProvisionerTelemetry>();

// The boundaries: command-line tools and the clusters' Kubernetes APIs.
builder.Services.AddSingleton<IToolRunner, CliToolRunner>();
builder.Services.AddSingleton<TartCli>();
builder.Services.AddSingleton<SshCli>();
builder.Services.AddSingleton<HelmCli>();
builder.Services.AddSingleton<KubeconfigStore>();
builder.Services.AddSingleton<ClusterApiClients>();
builder.Services.AddSingleton<ManifestApplier>();

// The lab: its spec, its plan, and the operations that converge or remove it.
builder.Services.AddSingleton<LabSpecSource>();
builder.Services.AddHostedService<LabSpecStartupCheck>();
builder.Services.AddSingleton<ImagePulls>();
builder.Services.AddSingleton<RunningVms>();
builder.Services.AddSingleton<ProvisioningToolsFactory>();
builder.Services.AddSingleton<ClusterPlanBuilder>();
builder.Services.AddSingleton<ClusterProvisioner>();
builder.Services.AddSingleton<LabProgress>();
builder.Services.AddSingleton<LabPlanner>();
builder.Services.AddSingleton<LabApplier>();
builder.Services.AddSingleton<LabDestroyer>();
builder.Services.AddSingleton<LabOperations>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapLabSpecEndpoints();
app.MapLabEndpoints();

app.Run();
