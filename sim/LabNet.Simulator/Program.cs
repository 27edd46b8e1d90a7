var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddCiliumPolicy();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
