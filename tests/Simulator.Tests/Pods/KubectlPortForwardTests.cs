using System.Text.RegularExpressions;
using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;

namespace LabNet.Simulator.Tests.Pods;

/// <summary><c>kubectl port-forward svc/hubble-relay</c> (the seed's Hubble step) with the real kubectl, reaching the cluster's relay.</summary>
[Collection(PodLabCollection.Name)]
public sealed class KubectlPortForwardTests(PodLab lab)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string Relay = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: hubble-relay
          namespace: kube-system
        spec:
          replicas: 1
          selector:
            matchLabels:
              k8s-app: hubble-relay
          template:
            metadata:
              labels:
                k8s-app: hubble-relay
            spec:
              containers:
              - name: hubble-relay
                image: quay.io/cilium/hubble-relay:v1.16.5
                ports:
                - name: grpc
                  containerPort: 4245
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: hubble-relay
          namespace: kube-system
        spec:
          selector:
            k8s-app: hubble-relay
          ports:
          - name: grpc
            port: 80
            targetPort: 4245
        """;

    [Theory]
    [InlineData("dev", "true")]
    [InlineData("staging", "false")]
    public async Task Port_forward_to_the_relay_service_reaches_the_clusters_hubble_relay(string clusterName, string websockets)
    {
        // kubectl 1.31+ tunnels SPDY in a WebSocket; KUBECTL_PORT_FORWARD_WEBSOCKETS=false makes it upgrade to SPDY directly.
        var cluster = lab.CreateCluster(clusterName);
        cluster.Kubectl.WriteFile("relay.yaml", Relay);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "relay.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/hubble-relay", "-n", "kube-system", "--timeout=20s")).ExitCode);

        var start = cluster.Kubectl.StartInfo("-n", "kube-system", "port-forward", "svc/hubble-relay", ":80");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = websockets;
        using var forward = System.Diagnostics.Process.Start(start)!;
        var errors = forward.StandardError.ReadToEndAsync();
        try
        {
            var line = await forward.StandardOutput.ReadLineAsync().WaitAsync(Timeout);
            var match = Regex.Match(line ?? "", @"^Forwarding from 127\.0\.0\.1:(\d+) -> 4245$");
            Assert.True(match.Success, line);

            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{match.Groups[1].Value}");
            ServerStatusResponse status;
            try
            {
                status = await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);
            }
            catch (Grpc.Core.RpcException e)
            {
                forward.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{e.Message}\nkubectl: {await errors.WaitAsync(Timeout)}", e);
            }

            Assert.True(status.MaxFlows > 0);
        }
        finally
        {
            forward.Kill(entireProcessTree: true);
            await forward.WaitForExitAsync().WaitAsync(Timeout);
        }
    }
}
