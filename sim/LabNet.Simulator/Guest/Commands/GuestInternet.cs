using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Programs;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// The internet as a VM guest reaches it in the twin: only what a lab provisioner downloads (pkgs.k8s.io's release
/// keys); any other URL is a 404 page. The address is a documentation address: the twin never connects anywhere.
/// </summary>
public sealed partial class GuestInternet : IHttpNetwork
{
    private const string Address = "203.0.113.10";

    public PodHttpResult Send(string method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan? maxTime)
    {
        var key = K8sKey().Match(url);
        return key.Success
            ? new PodHttpResult(PodHttpOutcome.Response, 200, "OK", [new("content-type", "application/pgp-keys")], ReleaseKey(key.Groups["minor"].Value),
                TimeSpan.FromMilliseconds(120), Address, null)
            : new PodHttpResult(PodHttpOutcome.Response, 404, "Not Found", [new("content-type", "text/html")], "<html><body><h1>404 Not Found</h1></body></html>\n",
                TimeSpan.FromMilliseconds(120), Address, null);
    }

    /// <summary>What pkgs.k8s.io serves as Release.key for a minor version (an ASCII-armored OpenPGP key).</summary>
    public static string ReleaseKey(string minor) =>
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: isv:kubernetes OBS Project\n\n" +
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("pkgs.k8s.io v" + minor))) +
        "\n=k8s\n-----END PGP PUBLIC KEY BLOCK-----\n";

    [GeneratedRegex(@"^https://pkgs\.k8s\.io/core:/stable:/v(?<minor>\d+\.\d+)/deb/Release\.key$")]
    private static partial Regex K8sKey();
}

/// <summary>curl in a VM guest: the shared curl over the guest's internet.</summary>
public sealed class GuestCurlCommand : IGuestCommand
{
    private readonly GuestInternet _internet = new();

    public IReadOnlyList<string> Names { get; } = ["curl"];

    public Task<int> RunAsync(CommandCall call) => CurlProgram.RunAsync(call.Program, _internet);
}
