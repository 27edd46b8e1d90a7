using LabNet.FlowCollector;
using LabNet.FlowCollector.Replay;

if (ReplayCommand.IsInvocation(args))
{
    return await ReplayCommand.RunAsync(args, Console.Out, Console.Error, Console.OpenStandardInput, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddFlowCollector();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFlowCollector();

app.Run();
return 0;
