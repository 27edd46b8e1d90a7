namespace LabNet.Simulator.Tools;

/// <summary>
/// The wire contract between a shim and the simulator (POST /tools/{tool}). The response is newline-delimited JSON
/// frames, flushed as they happen: <c>{"o":"text"}</c> for stdout, <c>{"e":"text"}</c> for stderr, and last
/// <c>{"x":code}</c> with the exit code.
/// </summary>
public sealed record ToolRequest(
    IReadOnlyList<string>? Argv,
    string? Stdin,
    IReadOnlyDictionary<string, string>? Env,
    string? Cwd);
