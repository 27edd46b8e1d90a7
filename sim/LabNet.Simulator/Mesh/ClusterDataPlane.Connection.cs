using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>One attempt to reach an upstream host: TLS (mTLS by DestinationRule or auto), Cilium's verdict and L7 proxy (and the seam when the proxy meets mTLS), the server's sidecar (PeerAuthentication), the application.</summary>
public sealed partial class ClusterDataPlane
{
    private MeshResponse Connect(in MeshExchange call, bool sidecar, TrafficPod backend, TrafficService? service, int port, int targetPort, string? subset, DestinationRuleConfig? rule, OutlierDetector? detector, int hostCount, TimeSpan? routeTimeout, TimeSpan extraDelay, int attempt)
    {
        var serverSidecar = call.Istio.Installed && backend.HasSidecar;
        var (serverMode, _) = serverSidecar ? call.Istio.MtlsFor(backend.Key, backend.Namespace, backend.Labels, targetPort) : (MtlsMode.Disable, null);
        // A pod IP matches no Service listener: the sidecar passes it through (PassthroughCluster), in plaintext.
        var mtls = sidecar && service is not null && (rule?.TlsFor(subset, port) switch
        {
            ClientTlsMode.Disable => false,
            ClientTlsMode.IstioMutual or ClientTlsMode.Mutual or ClientTlsMode.Simple => true,
            _ => serverSidecar && serverMode != MtlsMode.Disable, // auto mTLS
        });

        var source = call.Asked.ClientEndpoint ?? Endpoint(call.Client);
        var destination = Endpoint(backend);
        var verdict = _policy.Decide(source.Identity, destination.Identity, IpProtocol.Tcp, targetPort);
        var serviceName = service is null ? null : _serviceNames.GetValue(service, static s => new ServiceName(s.Name, s.Namespace));
        var sourcePort = 32768 + call.Random.Next(28232);
        var handshake = TimeSpan.FromMilliseconds(0.3 + call.Random.NextDouble() * 0.4);

        if (!verdict.IsForwarded)
        {
            // The SYN is dropped: the client (or its sidecar) waits for an answer that never comes.
            var waited = sidecar ? EnvoyReplies.ConnectTimeout : EnvoyReplies.KernelConnectTimeout;
            call.Flows.AddRange(_hubble.Builder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - waited, waited, serviceName), verdict));
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return sidecar
                ? MeshAnswers.Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTimeout, waited + extraDelay, backend, MeshFailure.ConnectFailure)
                : MeshAnswers.Failed(call, PodHttpOutcome.TimedOut, waited, backend);
        }

        var proxyInPath = verdict.L7ProxyInPath;
        if (mtls && proxyInPath)
        {
            // The seam: Cilium's proxy parses HTTP on this port and gets a TLS ClientHello. It answers 400 and closes; the
            // client sidecar reads that as a broken TLS record. No request reached the proxy's access log: no L7 flow.
            call.Flows.AddRange(_hubble.Builder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2, handshake * 2, serviceName), verdict));
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return MeshAnswers.Proxy(call, 503, "Service Unavailable", EnvoyReplies.TlsWrongVersion, handshake * 2 + extraDelay, backend, MeshFailure.ConnectFailure);
        }

        HttpVerdict? l7 = proxyInPath ? verdict.EvaluateHttp(call.Request) : null;
        if (l7 is { IsAllowed: false })
        {
            var denied = TimeSpan.FromMilliseconds(0.2);
            call.Flows.AddRange(_hubble.Builder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - denied, handshake + denied, serviceName),
                verdict, HttpExchange(call, HttpVerdict.AccessDeniedStatusCode, denied)));
            detector?.Record(backend.Name, HttpVerdict.AccessDeniedStatusCode, hostCount, call.At);
            var deniedResponse = new MeshResponse(PodHttpOutcome.Response, 403, "Forbidden",
                call.WantBody ? [new("content-length", "15"), new("content-type", "text/plain"), new("date", MeshAnswers.Date(call.At)), new("server", "envoy")] : [],
                HttpVerdict.AccessDeniedBody, handshake + denied + extraDelay, backend, LocalReply: true, MeshAnswers.Address(call, backend));
            return sidecar ? MeshAnswers.WithClientSidecarHeaders(call, deniedResponse, denied) : deniedResponse;
        }

        var plaintextRefused = serverSidecar && serverMode == MtlsMode.Strict && !mtls;
        var tlsToPlainPort = mtls && (!serverSidecar || serverMode == MtlsMode.Disable);
        if (plaintextRefused || tlsToPlainPort)
        {
            var connection = new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2, handshake * 2, serviceName);
            if (proxyInPath)
            {
                // Cilium's proxy read the request and forwarded it; the server reset, so the proxy answers 503 itself.
                call.Flows.AddRange(_hubble.Builder.Build(connection, verdict, HttpExchange(call, 503, handshake)));
                detector?.Record(backend.Name, 503, hostCount, call.At);
                return MeshAnswers.Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTermination, handshake * 2 + extraDelay, backend, MeshFailure.None);
            }

            var built = _hubble.Builder.Build(connection, verdict);
            MeshFlows.EndWithReset(built);
            call.Flows.AddRange(built);
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return sidecar
                ? MeshAnswers.Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTermination, handshake * 2 + extraDelay, backend, MeshFailure.Reset)
                : MeshAnswers.Failed(call, PodHttpOutcome.ConnectionReset, handshake * 2, backend);
        }

        // The application.
        var app = DemoApplications.KindOf(backend);
        var behaviour = _behaviours.BehaviourOf(backend);
        var fail = behaviour.ErrorRate > 0 && call.Random.NextDouble() < behaviour.ErrorRate;
        var serviceTime = behaviour.SampleLatency(call.Random);
        var appRequest = new AppRequest(call.Request, "http", call.WantBody ? MeshAnswers.RequestHeaders(call, sidecar, serverSidecar, mtls, backend, attempt) : [], call.Body, !call.WantBody ? "" : serverSidecar ? "127.0.0.6" : call.Client.Ip.ToString());
        var answer = DemoApplications.Handle(app, backend, targetPort, appRequest, fail, serviceTime, call.At, call.Random, call.WantBody);
        if (answer.Reaction != AppReaction.Http)
        {
            var refused = answer.Reaction == AppReaction.Refused && !serverSidecar;
            var connection = new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2 - answer.Latency, handshake * 2 + answer.Latency, serviceName);
            var built = _hubble.Builder.Build(connection, verdict, proxyInPath && !mtls ? HttpExchange(call, 503, answer.Latency) : null);
            if (!proxyInPath)
            {
                MeshFlows.EndWithReset(built);
            }

            call.Flows.AddRange(built);
            detector?.Record(backend.Name, 0, hostCount, call.At);
            if (sidecar || proxyInPath || serverSidecar)
            {
                var body = answer.Reaction == AppReaction.Refused ? EnvoyReplies.ConnectionFailure : EnvoyReplies.ConnectionTermination;
                var failure = serverSidecar || proxyInPath ? MeshFailure.None : answer.Reaction == AppReaction.Refused ? MeshFailure.ConnectFailure : MeshFailure.Reset;
                return MeshAnswers.Proxy(call, 503, "Service Unavailable", body, handshake * 2 + answer.Latency + extraDelay, backend, failure);
            }

            return MeshAnswers.Failed(call, refused ? PodHttpOutcome.ConnectionRefused : PodHttpOutcome.EmptyReply, handshake * 2 + answer.Latency, backend);
        }

        var latency = answer.Latency + extraDelay;
        if (routeTimeout is { } timeout && latency > timeout)
        {
            call.Flows.AddRange(_hubble.Builder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - timeout, handshake + timeout, serviceName),
                verdict, proxyInPath ? HttpExchange(call, answer.Status, timeout) : null));
            detector?.Record(backend.Name, 504, hostCount, call.At);
            return MeshAnswers.Proxy(call, 504, "Gateway Timeout", EnvoyReplies.RequestTimeout, handshake + timeout, backend, MeshFailure.Timeout);
        }

        call.Flows.AddRange(_hubble.Builder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - latency, handshake + latency, serviceName),
            verdict, proxyInPath ? HttpExchange(call, answer.Status, answer.Latency) : null));
        detector?.Record(backend.Name, answer.Status, hostCount, call.At);
        var response = new MeshResponse(PodHttpOutcome.Response, answer.Status, answer.Reason, answer.Headers, answer.Body, handshake + latency, backend, LocalReply: false, MeshAnswers.Address(call, backend));
        if (serverSidecar && call.WantBody)
        {
            // Envoy re-encodes the status line with its own reason phrase.
            response = response with { Headers = MeshAnswers.EnvoyHeaders(answer.Headers, "istio-envoy", answer.Latency), Reason = HttpStatusText.For(answer.Status) };
        }

        if (sidecar)
        {
            response = MeshAnswers.WithClientSidecarHeaders(call, response, answer.Latency);
        }

        return response;
    }

    private static SimulatedHttpExchange HttpExchange(in MeshExchange call, int status, TimeSpan latency) =>
        new(call.Request.Method, call.Request.Host, call.Request.Path, status, latency, call.Request.Headers);
}
