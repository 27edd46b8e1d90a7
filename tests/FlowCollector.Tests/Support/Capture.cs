namespace LabNet.FlowCollector.Tests.Support;

/// <summary>The hand-built captures in Hubble's exact <c>hubble observe -o json</c> form (Captures/*.json).</summary>
public static class Capture
{
    public const string L3L4Tcp = "l3l4-tcp.json";
    public const string L7Http = "l7-http.json";
    public const string Drops = "drops.json";
    public const string Dns = "dns.json";
    public const string CamelCaseJsonpb = "camelcase-jsonpb.json";
    public const string Malformed = "malformed.json";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Captures");

    public static string PathOf(string name) => Path.Combine(Directory, name);
}
