using LabNet.Simulator.Host;
using LabNet.Simulator.Tools;

var builder = WebApplication.CreateBuilder(args);

builder.RequireLoopbackOnly();
builder.AddServiceDefaults();
builder.Services.AddLabWorld(builder.Configuration);

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapLabWorld();

app.Run();
