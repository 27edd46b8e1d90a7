using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>
/// Points the services at the world they drive. Simulation: the simulator's tool shims and its address; real mode:
/// the Mac's own tools. Only configuration differs between the two; the services' code paths are the same.
/// </summary>
internal static class LabWorldExtensions
{
    /// <summary>Where the shims are built (sim/Shims/Directory.Build.props copies them there).</summary>
    public static string ShimsDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, "artifacts", "shims");

    /// <summary>The tools the Provisioner runs: tart, ssh, sshpass and helm.</summary>
    public static IResourceBuilder<ProjectResource> WithLabTools(
        this IResourceBuilder<ProjectResource> provisioner,
        IResourceBuilder<ProjectResource>? simulator,
        IConfiguration configuration,
        string repositoryRoot)
    {
        if (simulator is not null)
        {
            var shims = ShimsDirectory(repositoryRoot);
            return provisioner
                .WithEnvironment("Tools__Tart", Path.Combine(shims, "tart"))
                .WithEnvironment("Tools__Ssh", Path.Combine(shims, "ssh"))
                .WithEnvironment("Tools__SshPass", Path.Combine(shims, "sshpass"))
                .WithEnvironment("Tools__Helm", Path.Combine(shims, "helm"))
                .WithEnvironment("Tools__Environment__LABNET_SIMULATOR_URL", simulator.GetEndpoint("http"))
                .WithLabWorld(simulator);
        }

        return provisioner
            .WithEnvironment("Tools__Tart", RealTool(configuration, "Tart", "tart"))
            .WithEnvironment("Tools__Ssh", RealTool(configuration, "Ssh", "ssh"))
            .WithEnvironment("Tools__SshPass", RealTool(configuration, "SshPass", "sshpass"))
            .WithEnvironment("Tools__Helm", RealTool(configuration, "Helm", "helm"));
    }

    /// <summary>
    /// The VMs' ssh password as a secret parameter (<c>Parameters:ssh-password</c>, e.g. in user secrets) when one is set;
    /// otherwise the Provisioner falls back to <c>ssh_password</c> in the lab spec. Secrets never reach logs or spans.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSshPassword(this IResourceBuilder<ProjectResource> provisioner, IDistributedApplicationBuilder builder) =>
        builder.Configuration["Parameters:ssh-password"] is { Length: > 0 }
            ? provisioner.WithEnvironment("Lab__SshPassword", builder.AddParameter("ssh-password", secret: true))
            : provisioner;

    /// <summary>In simulation the service starts after the simulator; in real mode there is nothing to wait for.</summary>
    public static IResourceBuilder<ProjectResource> WithLabWorld(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource>? simulator)
    {
        if (simulator is not null)
        {
            service.WithReference(simulator).WaitFor(simulator);
        }

        return service;
    }

    private static string RealTool(IConfiguration configuration, string setting, string fallback) =>
        RealModePreflight.ResolveExecutable(configuration[$"{RealModePreflight.Section}:{setting}"] is { Length: > 0 } configured ? configured : fallback)
        ?? fallback;
}
