using Microsoft.Extensions.Options;
using LabNet.Provisioner;
using LabNet.Provisioner.Spec;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddOptions<LabOptions>()
    .BindConfiguration(LabOptions.Section)
    .ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<LabOptions>, LabOptionsValidator>();
builder.Services.AddSingleton<LabSpecSource>();
builder.Services.AddHostedService<LabSpecStartupCheck>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapLabSpecEndpoints();

app.Run();
