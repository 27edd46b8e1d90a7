using System.Net;
using k8s.Autorest;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>What an API server answer means for the controller.</summary>
public static class KubernetesErrors
{
    public static bool Is(Exception exception, HttpStatusCode status) =>
        exception is HttpOperationException { Response.StatusCode: var code } && code == status;

    /// <summary>
    /// A watch's resourceVersion is older than the server keeps (410 Gone / Expired): list again. The apiserver sends it
    /// as an ERROR event in the stream; a server may also answer the watch request itself with 410.
    /// </summary>
    public static bool IsExpired(Exception exception) =>
        exception is k8s.KubernetesException { Status.Code: 410 } || Is(exception, HttpStatusCode.Gone);

    /// <summary>The API server's own message (a Status object's message) when there is one.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } => $"{(int)response.StatusCode} {response.StatusCode}: {response.Content}",
        _ => exception.Message,
    };
}
