using System.Globalization;
using System.Text.Json.Nodes;

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
        var address = process.PodIp ?? process.Cluster.Bootstrap.AdvertiseAddress;
        var version = process.Cluster.Bootstrap.KubernetesVersion;
        // klog's header: severity, mmdd hh:mm:ss.uuuuuu, thread id, file:line.
        string Klog(string file, string message, int addMs = 0) =>
            $"I{utc.AddMilliseconds(addMs).ToString("MMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}       1 {file}] {message}";
        string Etcd(string caller, string message, int addMs, string fields = "") =>
            $"{{\"level\":\"info\",\"ts\":\"{utc.AddMilliseconds(addMs).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}\",\"caller\":\"{caller}\",\"msg\":\"{message}\"{fields}}}";
        string Logrus(string message, int addMs, string subsys) => $"time=\"{Iso(addMs)}\" level=info msg=\"{message}\" subsys={subsys}";
        return process.Image.Family switch
        {
            "etcd" =>
            [
                Etcd("etcdmain/etcd.go:73", "Running: ", 0, $",\"args\":[\"etcd\",\"--advertise-client-urls=https://{address}:2379\",\"--data-dir=/var/lib/etcd\",\"--name={node}\"]"),
                Etcd("embed/etcd.go:128", "configuring peer listeners", 2, $",\"listen-peer-urls\":[\"https://{address}:2380\"]"),
                Etcd("embed/etcd.go:311", "starting an etcd server", 5, $",\"etcd-version\":\"3.5.15\",\"git-sha\":\"9a5533382\",\"go-version\":\"go1.21.12\",\"go-os\":\"linux\",\"go-arch\":\"arm64\",\"name\":\"{node}\",\"data-dir\":\"/var/lib/etcd\""),
                Etcd("etcdserver/server.go:2118", "published local member to cluster through raft", 900, $",\"local-member-attributes\":\"{{Name:{node} ClientURLs:[https://{address}:2379]}}\""),
                Etcd("embed/serve.go:250", "serving client traffic securely", 905, $",\"traffic\":\"grpc+http\",\"address\":\"{address}:2379\""),
                Etcd("embed/serve.go:250", "serving client traffic securely", 906, ",\"traffic\":\"grpc+http\",\"address\":\"127.0.0.1:2379\""),
            ],
            "kube-apiserver" =>
            [
                Klog("options.go:228", $"external host was not specified, using {address}"),
                Klog("server.go:142", $"Version: {version}", 3),
                Klog("server.go:144", "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"", 3),
                Klog("shared_informer.go:313", "Waiting for caches to sync for node_authorizer", 400),
                Klog("secure_serving.go:213", "Serving securely on [::]:6443", 2100),
                Klog("controller.go:615", "quota admission added evaluator for: namespaces", 2300),
            ],
            "kube-controller-manager" =>
            [
                Klog("serving.go:386", "Generated self-signed cert in-memory"),
                Klog("controllermanager.go:197", $"\"Starting\" version=\"{version}\"", 600),
                Klog("secure_serving.go:213", "Serving securely on 127.0.0.1:10257", 610),
                Klog("leaderelection.go:254", "attempting to acquire leader lease kube-system/kube-controller-manager...", 612),
                Klog("leaderelection.go:268", "successfully acquired lease kube-system/kube-controller-manager", 3100),
            ],
            "kube-scheduler" =>
            [
                Klog("serving.go:386", "Generated self-signed cert in-memory"),
                Klog("server.go:167", $"\"Starting Kubernetes Scheduler\" version=\"{version}\"", 500),
                Klog("secure_serving.go:213", "Serving securely on 127.0.0.1:10259", 510),
                Klog("leaderelection.go:254", "attempting to acquire leader lease kube-system/kube-scheduler...", 512),
                Klog("leaderelection.go:268", "successfully acquired lease kube-system/kube-scheduler", 2900),
            ],
            "kube-proxy" =>
            [
                Klog("server_linux.go:66", "\"Using iptables proxy\""),
                Klog("server.go:677", $"\"Successfully retrieved node IP(s)\" IPs=[\"{address}\"]", 20),
                Klog("server_linux.go:169", "\"Using iptables Proxier\"", 40),
                Klog("server.go:483", $"\"Version info\" version=\"{version}\"", 45),
                Klog("config.go:199", "\"Starting service config controller\"", 60),
                Klog("config.go:199", "\"Starting endpoint slice config controller\"", 61),
            ],
            "coredns" =>
            [
                ".:53",
                "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
                "CoreDNS-1.11.3",
                "linux/arm64, go1.21.11, a6338e9",
            ],
            "hubble-ui" =>
            [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
                $"{nginxTime} [notice] 1#1: using the \"epoll\" event method",
                $"{nginxTime} [notice] 1#1: start worker processes",
            ],
            "hubble-ui-backend" =>
            [
                "level=info msg=\"initialized with TLS disabled\\n\" subsys=ui-backend",
                "level=info msg=\"listening at: 0.0.0.0:8090\\n\" subsys=ui-backend",
            ],
            "cilium-operator" =>
            [
                Logrus($"Cilium Operator {process.Image.Tag.TrimStart('v')} ad688277 2024-12-12T07:00:00+00:00 go version go1.22.10 linux/arm64", 0, "cilium-operator-generic"),
                $"time=\"{Iso(30)}\" level=info msg=\"Establishing connection to apiserver\" host=\"https://{process.Cluster.Bootstrap.AdvertiseAddress}:6443\" subsys=k8s-client",
                Logrus("Connected to apiserver", 50, "k8s-client"),
                Logrus("Leading the operator HA deployment", 700, "cilium-operator-generic"),
            ],
            "metrics-server" =>
            [
                Klog("serving.go:374", "Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)"),
                Klog("handler.go:275", "Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager", 400),
                Klog("requestheader_controller.go:172", "Starting RequestHeaderAuthRequestController", 410),
                Klog("secure_serving.go:213", "Serving securely on [::]:10250", 420),
            ],
            "keycloak" =>
            [
                "Updating the configuration and installing your custom providers, if any. Please wait.",
                $"{utc:yyyy-MM-dd HH:mm:ss},000 INFO  [io.quarkus.deployment.QuarkusAugmentor] (main) Quarkus augmentation completed in 6543ms",
                $"{utc.AddSeconds(10):yyyy-MM-dd HH:mm:ss},120 INFO  [io.quarkus] (main) Keycloak {process.Image.Tag}.0 on JVM (powered by Quarkus 3.15.2) started in 9.876s. Listening on: http://0.0.0.0:8080",
                $"{utc.AddSeconds(10):yyyy-MM-dd HH:mm:ss},121 WARN  [org.keycloak.quarkus.runtime.KeycloakMain] (main) Running the server in development mode. DO NOT use this configuration in production.",
            ],
            "rabbitmq" =>
            [
                $"{utc:yyyy-MM-dd HH:mm:ss.ffffff}+00:00 [info] <0.230.0>  Starting RabbitMQ 3.13.7 on Erlang 26.2.5.6 [jit]",
                $"{utc.AddSeconds(4):yyyy-MM-dd HH:mm:ss.ffffff}+00:00 [info] <0.651.0> Ready to start client connection listeners",
                $"{utc.AddSeconds(4):yyyy-MM-dd HH:mm:ss.ffffff}+00:00 [info] <0.795.0> started TCP listener on [::]:5672",
                $"{utc.AddSeconds(4):yyyy-MM-dd HH:mm:ss.ffffff}+00:00 [info] <0.230.0> Server startup complete; 4 plugins started.",
            ],
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
                $"{klog}\tinfo\tProxy role\tips=[{process.PodIp}] type={ProxyType(process)} id={process.PodName}.{process.Namespace} domain={process.Namespace}.svc.cluster.local",
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

    /// <summary>pilot-agent's role: <c>router</c> for a gateway (<c>pilot-agent proxy router</c>), else <c>sidecar</c>.</summary>
    private static string ProxyType(PodProcess process) =>
        process.ContainerSpec?["args"] is JsonArray args && args.Count > 1 && args[1]?.GetValue<string>() == "router" ? "router" : "sidecar";
}
