using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>The original lab applied once against the simulator, shared by the tests that look at the result.</summary>
public sealed class AppliedLabFixture : IAsyncLifetime
{
    private SimulatedLab? _lab;

    public SimulatedLab Lab => _lab ?? throw new InvalidOperationException("The lab did not start.");

    public JsonNode FirstApply { get; private set; } = null!;

    public IReadOnlyList<ModeledToolCall> FirstApplyCalls { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        FirstApply = await ApplyAsync();
        FirstApplyCalls = await ToolCallsAsync();
    }

    public Task<JsonNode> ApplyAsync() => Lab.ApplyAsync();

    public Task<IReadOnlyList<ModeledToolCall>> ToolCallsAsync() => Lab.ToolCallsAsync();

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}

public sealed record ModeledToolCall(string Tool, string Command, DateTimeOffset StartedAt, double ModeledSeconds, int ExitCode, DateTimeOffset ModeledStart, DateTimeOffset ModeledEnd)
{
    /// <summary>Calls that change the world: VM lifecycle, root scripts in a guest, helm installs. Reads are not.</summary>
    public bool Mutates => Tool switch
    {
        "tart" => Verb is "pull" or "clone" or "set" or "run" or "stop" or "delete",
        "helm" => Verb is "install" or "upgrade" or "uninstall" or "repo",
        "ssh" or "sshpass" => Command.Contains("sudo bash -s", StringComparison.Ordinal) || Command.Contains("token create", StringComparison.Ordinal),
        _ => true,
    };

    private string Verb => Command.Split(' ', 3).ElementAtOrDefault(1) ?? "";
}

/// <summary>The simulator's summary of a window of tool calls on its timeline of modeled tool time.</summary>
public sealed record ModeledStepSummary(int Steps, int Failed, DateTimeOffset? From, DateTimeOffset? To, double MakespanSeconds, double SequentialSeconds, double Parallelism);
