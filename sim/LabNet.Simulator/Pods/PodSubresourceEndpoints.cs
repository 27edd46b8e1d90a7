using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using LabNet.Simulator.Programs;

namespace LabNet.Simulator.Pods;

/// <summary>
/// The pod subresources kubectl streams through the API server: <c>exec</c> and <c>attach</c> (WebSocket channel
/// protocol) and <c>log</c>, at <c>/clusters/&lt;name&gt;/api/v1/namespaces/&lt;ns&gt;/pods/&lt;pod&gt;/...</c>.
/// </summary>
public static class PodSubresourceEndpoints
{
    public static IServiceCollection AddPodRuntime(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PodRuntimeOptions>().BindConfiguration(PodRuntimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PodRuntimeServices>();
        services.TryAddSingleton<ContainerLogStore>();
        services.AddShellPrograms();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IPodCommand, PodCurlCommand>(),
            ServiceDescriptor.Singleton<IPodCommand, NslookupCommand>(),
            ServiceDescriptor.Singleton<IPodCommand, CiliumDbgCommand>(),
        ]);
        services.TryAddSingleton<PodPrograms>();
        services.TryAddSingleton<PodCommandInterpreter>();
        services.TryAddSingleton<PodRuntime>();
        services.TryAddSingleton<PodStreamHandler>();
        services.TryAddSingleton<PortForward.PortForwardHandler>();
        services.AddHostedService<PodRuntimeService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPodSubresources(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<PodStreamHandler>();
        const string pod = "/clusters/{cluster}/api/v1/namespaces/{ns}/pods/{name}";
        endpoints.Map(pod + "/exec", (HttpContext context, string cluster, string ns, string name) => handler.HandleAsync(context, cluster, ns, name, "exec"));
        endpoints.Map(pod + "/attach", (HttpContext context, string cluster, string ns, string name) => handler.HandleAsync(context, cluster, ns, name, "attach"));
        var portForward = endpoints.ServiceProvider.GetRequiredService<PortForward.PortForwardHandler>();
        endpoints.Map(pod + "/portforward", (HttpContext context, string cluster, string ns, string name) => portForward.HandleAsync(context, cluster, ns, name));
        endpoints.MapGet(pod + "/log", (HttpContext context, string cluster, string ns, string name) => handler.HandleAsync(context, cluster, ns, name, "log"));
        return endpoints;
    }
}
