using System.Globalization;

namespace LabNet.Simulator.Pods;

/// <summary>The lines an image's server process logs when it starts, as <c>kubectl logs</c> shows them.</summary>
public static class StartupLogs
{
    public static IReadOnlyList<string> For(PodProcess process, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        string Iso(int addMs = 0) => utc.AddMilliseconds(addMs).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var nginxTime = utc.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        var gunicornTime = utc.ToString("yyyy-MM-dd HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var klog = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var node = process.NodeName;
        return process.Image.Family switch
        {
            "nginx" =>
            [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
                $"{nginxTime} [notice] 1#1: using the \"epoll\" event method",
                $"{nginxTime} [notice] 1#1: nginx/1.27.3",
                $"{nginxTime} [notice] 1#1: OS: Linux 6.8.0-49-generic",
                $"{nginxTime} [notice] 1#1: start worker processes",
                $"{nginxTime} [notice] 1#1: start worker process 29",
            ],
            "httpbin" =>
            [
                $"[{gunicornTime}] [1] [INFO] Starting gunicorn 19.9.0",
                $"[{gunicornTime}] [1] [INFO] Listening at: http://0.0.0.0:80 (1)",
                $"[{gunicornTime}] [1] [INFO] Using worker: gevent",
                $"[{gunicornTime}] [8] [INFO] Booting worker with pid: 8",
            ],
            "cilium-agent" =>
            [
                $"time=\"{Iso()}\" level=info msg=\"Memory available for map entries (0.003% of 4105244672B): 10263111B\" subsys=config",
                $"time=\"{Iso(2)}\" level=info msg=\"  --cluster-name='default'\" subsys=daemon",
                $"time=\"{Iso(5)}\" level=info msg=\"Cilium 1.16.5 ad688277 2024-12-12T07:00:00+00:00 go version go1.22.10 linux/arm64\" subsys=daemon",
                $"time=\"{Iso(40)}\" level=info msg=\"Establishing connection to apiserver\" host=\"https://{process.Cluster.Bootstrap.AdvertiseAddress}:6443\" subsys=k8s-client",
                $"time=\"{Iso(60)}\" level=info msg=\"Connected to apiserver\" subsys=k8s-client",
                $"time=\"{Iso(900)}\" level=info msg=\"Initializing daemon\" subsys=daemon",
                $"time=\"{Iso(1500)}\" level=info msg=\"Daemon initialization completed\" bootstrapTime=2.1s subsys=daemon",
                $"time=\"{Iso(1600)}\" level=info msg=\"Starting local Hubble server\" address=\"unix:///var/run/cilium/hubble.sock\" subsys=hubble",
                $"time=\"{Iso(1700)}\" level=info msg=\"Starting Hubble server\" address=\":4244\" subsys=hubble tls=true",
            ],
            "istio-proxy" =>
            [
                $"{klog}\tinfo\tFIPS mode disabled",
                $"{klog}\tinfo\tVersion 1.24.2-{process.Image.Tag}-Clean",
                $"{klog}\tinfo\tProxy role\tips=[{process.PodIp}] type=sidecar id={process.PodName}.{process.Namespace} domain={process.Namespace}.svc.cluster.local",
                $"{klog}\tinfo\tApply proxy config from env {{}}",
                $"{klog}\tinfo\txdsproxy\tInitializing with upstream address \"istiod.istio-system.svc:15012\" and cluster \"Kubernetes\"",
                $"{klog}\tinfo\tsds\tStarting SDS grpc server",
                $"{klog}\tinfo\tcache\tgenerated new workload certificate\tresourceName=default latency=105.2ms ttl=23h59m59s",
                $"{klog}\tinfo\tReadiness succeeded in 1.02s",
                $"{klog}\tinfo\tEnvoy proxy is ready",
            ],
            "istiod" =>
            [
                $"{klog}\tinfo\tFIPS mode disabled",
                $"{klog}\tinfo\tstarting HTTP service at [::]:8080",
                $"{klog}\tinfo\tstarting gRPC discovery service at [::]:15010",
                $"{klog}\tinfo\tserver\tStarting ADS server",
            ],
            "redis" =>
            [
                $"1:C {utc.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                $"1:M {utc.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} * Running mode=standalone, port=6379.",
                $"1:M {utc.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} * Ready to accept connections tcp",
            ],
            "postgres" =>
            [
                $"{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC [1] LOG:  starting PostgreSQL 16.6 on aarch64-unknown-linux-musl",
                $"{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
                $"{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC [1] LOG:  database system is ready to accept connections",
            ],
            "hubble-relay" =>
            [
                $"time=\"{Iso()}\" level=info msg=\"Starting server...\" options=\"{{peerTarget:hubble-peer.kube-system.svc.cluster.local:443 listenAddress::4245}}\" subsys=hubble-relay",
                $"time=\"{Iso(300)}\" level=info msg=\"Connected\" address=\"{node}:4244\" peer={node} subsys=hubble-relay",
            ],
            _ => [],
        };
    }
}
