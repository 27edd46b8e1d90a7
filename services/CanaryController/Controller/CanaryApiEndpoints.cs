using System.Globalization;
using LabNet.Canary;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Rollout;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Controller;

/// <summary>
/// The dashboard's API (<see cref="CanaryApi"/>, the contract the AppHost reads too): <c>GET /api/canaries</c> (every
/// Canary's status and the commands that apply to it now) and <c>POST /api/canaries/{namespace}/{name}/{command}</c> with
/// pause, resume, promote, abort or restart, written as the <c>labnet.io/command</c> annotation (see
/// <see cref="CanaryCommandAnnotation"/>); the controller acts on it at once.
/// </summary>
public static class CanaryApiEndpoints
{
    public static WebApplication MapCanaryApi(this WebApplication app)
    {
        app.MapGet(CanaryApi.CanariesPath, async (KubernetesClientSource clients, IOptions<CanaryControllerOptions> options, TimeProvider timeProvider, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            if (clients.Current is not { } client)
            {
                return WaitingForKubeconfig(clients);
            }

            var cluster = new CanaryCluster(client, timeProvider, loggers.CreateLogger<CanaryCluster>());
            try
            {
                var (items, _) = await cluster.ListCanariesAsync(string.IsNullOrEmpty(options.Value.Namespace) ? null : options.Value.Namespace, cancellationToken);
                return Results.Json(items.OrderBy(c => c.Key, StringComparer.Ordinal).Select(Summarize).ToList(), CanaryApi.Json);
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
            {
                return ApiServerFailed(e);
            }
        });

        app.MapPost(CanaryApi.CanariesPath + "/{namespace}/{name}/{command}", async (string @namespace, string name, string command, KubernetesClientSource clients, TimeProvider timeProvider, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            if (!CanaryCommandAnnotation.Words.ContainsKey(command))
            {
                return Results.Problem(
                    title: $"'{command}' is not a Canary command",
                    detail: $"Use one of {string.Join(", ", CanaryCommandAnnotation.Words.Keys)}: POST /api/canaries/{@namespace}/{name}/pause.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            if (clients.Current is not { } client)
            {
                return WaitingForKubeconfig(clients);
            }

            var cluster = new CanaryCluster(client, timeProvider, loggers.CreateLogger<CanaryCluster>());
            var value = CanaryCommandAnnotation.Format(command, timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            try
            {
                if (!await cluster.AnnotateCanaryAsync(@namespace, name, CanaryCommandAnnotation.Key, value, cancellationToken))
                {
                    return Results.Problem(title: $"Canary {@namespace}/{name} not found", detail: "Check the namespace and name with GET /api/canaries.", statusCode: StatusCodes.Status404NotFound);
                }
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
            {
                return ApiServerFailed(e);
            }

            return Results.Json(new CommandAccepted(@namespace, name, command, CanaryCommandAnnotation.Key, value), CanaryApi.Json, statusCode: StatusCodes.Status202Accepted);
        });

        return app;
    }

    /// <summary>
    /// One Canary as the dashboard lists it; its commands are those the state machine acts on in its phase
    /// (<see cref="CanaryCommandRules"/>).
    /// </summary>
    private static CanarySummary Summarize(CanaryResource canary)
    {
        var status = canary.Status;
        var pending = canary.Annotations.TryGetValue(CanaryCommandAnnotation.Key, out var command) && command != status.LastCommand ? command : null;
        return new CanarySummary(
            canary.Namespace,
            canary.Name,
            status.Phase,
            status.CanaryWeight,
            status.StableWeight,
            status.StepIndex,
            [.. CanaryCommandRules.ApplyingIn(status.Phase).Select(CanaryCommandRules.WordOf)],
            pending,
            canary.SpecError ?? canary.StatusError,
            status.LastDecision,
            status.Conditions);
    }

    private static IResult ApiServerFailed(Exception e) => Results.Problem(
        title: "the Kubernetes API did not answer",
        detail: KubernetesErrors.Describe(e),
        statusCode: StatusCodes.Status502BadGateway);

    private static IResult WaitingForKubeconfig(KubernetesClientSource clients) => Results.Problem(
        title: "waiting for kubeconfig",
        detail: $"{clients.KubeconfigPath} does not exist yet or cannot be used; the Provisioner writes it when the cluster is up.",
        statusCode: StatusCodes.Status503ServiceUnavailable);
}
