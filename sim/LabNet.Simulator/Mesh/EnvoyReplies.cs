namespace LabNet.Simulator.Mesh;

/// <summary>Bodies of the answers Envoy (a sidecar or Cilium's proxy) makes itself, word for word.</summary>
public static class EnvoyReplies
{
    public const string NoHealthyUpstream = "no healthy upstream";
    public const string ConnectionTimeout = "upstream connect error or disconnect/reset before headers. reset reason: connection timeout";
    public const string ConnectionTermination = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
    public const string ConnectionFailure = "upstream connect error or disconnect/reset before headers. reset reason: connection failure";

    /// <summary>The client sidecar started TLS and got plaintext back (Cilium's proxy answered the ClientHello as bad HTTP).</summary>
    public const string TlsWrongVersion = "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end";

    public const string RequestTimeout = "upstream request timeout";
    public const string FaultAbort = "fault filter abort";

    /// <summary>Envoy's connect timeout for Istio's outbound clusters (meshConfig.connectTimeout, 10 s).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long Linux retries a SYN that gets no answer before connect() fails (tcp_syn_retries 6).</summary>
    public static readonly TimeSpan KernelConnectTimeout = TimeSpan.FromSeconds(127);
}
