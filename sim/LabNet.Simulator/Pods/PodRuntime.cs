using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>
/// The container runtime half of the simulated kubelet: once a pod is Running, each container's main process runs.
/// Daemons (nginx, httpbin, the cilium agent, Envoy) log their start-up lines and run until the pod goes; other
/// processes (the command of a <c>kubectl run</c> pod) run through the <see cref="PodCommandInterpreter"/>, their
/// output is the container log, and on exit the container is terminated or restarted by the pod's restartPolicy
/// (with the kubelet's crash-loop back-off), the pod ending Succeeded or Failed.
/// </summary>
public sealed class PodRuntime(
    PodCommandInterpreter interpreter,
    PodRuntimeServices services,
    ContainerLogStore logs,
    ILogger<PodRuntime> logger)
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Cluster, string PodUid, string Container), ContainerRun> _runs = new();
    private readonly ConcurrentDictionary<(string Cluster, string PodUid), CancellationTokenSource> _pods = new();

    /// <summary>Follows one cluster's pods; dispose to stop.</summary>
    public IDisposable Watch(IClusterApi cluster)
    {
        var subscription = cluster.Subscribe(change =>
        {
            if (change.Object["kind"]?.GetValue<string>() == "Pod")
            {
                OnPodChanged(cluster, change.Type, change.Object);
            }
        });
        foreach (var pod in cluster.List("v1", "Pod"))
        {
            OnPodChanged(cluster, "ADDED", pod);
        }

        return subscription;
    }

    /// <summary>The current run of a container, null if it has not started (or the pod is gone).</summary>
    public ContainerRun? Find(string cluster, string podUid, string container) => _runs.GetValueOrDefault((cluster, podUid, container));

    private void OnPodChanged(IClusterApi cluster, string type, JsonObject pod)
    {
        var name = cluster.Bootstrap.Name;
        var uid = pod["metadata"]?["uid"]?.GetValue<string>() ?? "";
        if (type == "DELETED" || pod["metadata"]?["deletionTimestamp"] is not null)
        {
            if (_pods.TryRemove((name, uid), out var gone))
            {
                gone.Cancel();
                gone.Dispose();
            }

            foreach (var key in _runs.Keys.Where(k => k.Cluster == name && k.PodUid == uid))
            {
                _runs.TryRemove(key, out _);
            }

            if (type == "DELETED")
            {
                logs.Remove(name, uid);
            }

            return;
        }

        if (pod["status"]?["phase"]?.GetValue<string>() != "Running")
        {
            return;
        }

        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var container = status["name"]?.GetValue<string>() ?? "";
            var restartCount = ObjectFacts.Int(status["restartCount"]);
            if (status["state"]?["running"] is null)
            {
                if (status["state"]?["waiting"] is not null && status["lastState"]?["terminated"] is JsonObject crashed)
                {
                    RecordCrash(cluster, pod, container, crashed);
                }

                continue;
            }

            var key = (name, uid, container);
            var started = false;
            var podGone = _pods.GetOrAdd((name, uid), _ => new CancellationTokenSource());
            ContainerRun? run = null;
            _runs.AddOrUpdate(key,
                _ =>
                {
                    started = true;
                    return run = NewRun(cluster, pod, container, restartCount, podGone.Token);
                },
                (_, existing) =>
                {
                    if (existing.RestartCount >= restartCount)
                    {
                        return existing;
                    }

                    started = true;
                    return run = NewRun(cluster, pod, container, restartCount, podGone.Token);
                });
            if (started && run is not null)
            {
                _ = Task.Run(() => RunAsync(cluster, run));
            }
        }
    }

    /// <summary>
    /// A container another part of the twin put in CrashLoopBackOff (the cilium agent without k8sServiceHost): its last
    /// run's log ends with the reason it exited, as the real container's does; <c>kubectl logs</c> shows it.
    /// </summary>
    private void RecordCrash(IClusterApi cluster, JsonObject pod, string container, JsonObject terminated)
    {
        var uid = pod["metadata"]?["uid"]?.GetValue<string>() ?? "";
        if (logs.Find(cluster.Bootstrap.Name, uid, container, previous: false) is not null || _recordedCrashes.ContainsKey((cluster.Bootstrap.Name, uid, container)))
        {
            return;
        }

        var spec = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == container);
        if (spec is null)
        {
            return;
        }

        _recordedCrashes[(cluster.Bootstrap.Name, uid, container)] = true;
        var process = new PodProcess(cluster, (JsonObject)pod.DeepClone(), container, ContainerImage.For(spec["image"]?.GetValue<string>() ?? ""), false, services);
        var log = logs.Start(cluster.Bootstrap.Name, uid, container);
        var now = services.Now;
        var reason = terminated["message"]?.GetValue<string>() ?? terminated["reason"]?.GetValue<string>() ?? "Error";
        foreach (var line in StartupLogs.For(process, now).Take(4))
        {
            log.WriteLine(now, line);
        }

        log.WriteLine(now, process.Image.Family == "cilium-agent"
            ? $"time=\"{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}\" level=fatal msg=\"Unable to contact k8s api-server\" error=\"{reason}\" subsys=daemon"
            : reason);
        log.End();
    }

    private readonly ConcurrentDictionary<(string Cluster, string PodUid, string Container), bool> _recordedCrashes = new();

    private ContainerRun NewRun(IClusterApi cluster, JsonObject pod, string container, int restartCount, CancellationToken podGone)
    {
        var spec = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().First(c => c["name"]?.GetValue<string>() == container);
        var image = ContainerImage.For(spec["image"]?.GetValue<string>() ?? "");
        var process = new PodProcess(cluster, (JsonObject)pod.DeepClone(), container, image, spec["tty"]?.GetValue<bool>() == true, services);
        var server = image.IsServer(MainProcess(spec, image));
        return new ContainerRun(process, logs.Start(cluster.Bootstrap.Name, pod["metadata"]!["uid"]!.GetValue<string>(), container), restartCount, server, podGone);
    }

    /// <summary>What the container runs: the spec's command and args over the image's entrypoint and cmd.</summary>
    public static IReadOnlyList<string> MainProcess(JsonObject spec, ContainerImage image) =>
        image.MainProcess(Strings(spec["command"]), Strings(spec["args"]));

    private static List<string> Strings(JsonNode? array) => (array as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();

    private async Task RunAsync(IClusterApi cluster, ContainerRun run)
    {
        var process = run.Process;
        var spec = process.ContainerSpec!;
        var argv = MainProcess(spec, process.Image);
        try
        {
            if (run.IsServer)
            {
                foreach (var line in StartupLogs.For(process, services.Now))
                {
                    run.Emit(1, line + "\n");
                }

                return;
            }

            if (!process.Image.Has(argv[0]))
            {
                var message = $"failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{argv[0]}\": executable file not found in $PATH: unknown";
                run.Exit(128);
                Terminated(cluster, run, 128, "StartError", message);
                return;
            }

            // kubectl run -i: the process's first run waits for kubectl to attach, so the person sees all of its output.
            if (run.RestartCount == 0 && spec["stdin"]?.GetValue<bool>() == true)
            {
                await Task.WhenAny(run.Attached, Task.Delay(services.Options.AttachGrace, services.Time, run.PodGone));
            }

            var code = await interpreter.RunAsync(process, argv, "", run.Stdout, run.Stderr, run.PodGone, PodCommandInterpreter.MainProcessId);
            run.Exit(code);
            Terminated(cluster, run, code, code == 0 ? "Completed" : "Error", null);
        }
        catch (OperationCanceledException)
        {
            run.Exit(137);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Container {Container} of pod {Namespace}/{Pod} in cluster {Cluster} failed in the simulator",
                process.Container, process.Namespace, process.PodName, process.ClusterName);
            run.Exit(1);
        }
    }

    /// <summary>The process ended: record it, and restart it (after the back-off) or finish the pod, per restartPolicy.</summary>
    private void Terminated(IClusterApi cluster, ContainerRun run, int exitCode, string reason, string? message)
    {
        if (cluster is not ClusterApi api || run.PodGone.IsCancellationRequested)
        {
            return;
        }

        var process = run.Process;
        var policy = process.Pod["spec"]?["restartPolicy"]?.GetValue<string>() ?? "Always";
        var restart = policy == "Always" || (policy == "OnFailure" && exitCode != 0);
        var backOff = run.RestartCount == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, 10 * Math.Pow(2, run.RestartCount - 1)));
        var now = api.Now();
        var pods = api.Catalog.FindByPlural("", "v1", "pods")!;
        var uid = process.Pod["metadata"]!["uid"]!.GetValue<string>();
        api.Mutate(pods, process.Namespace, process.PodName, pod =>
        {
            if (pod["metadata"]?["uid"]?.GetValue<string>() != uid || pod["status"] is not JsonObject status)
            {
                return false;
            }

            var statuses = (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var mine = statuses.FirstOrDefault(s => s["name"]?.GetValue<string>() == process.Container);
            if (mine is null)
            {
                return false;
            }

            var startedAt = mine["state"]?["running"]?["startedAt"]?.DeepClone() ?? now;
            var terminated = new JsonObject
            {
                ["containerID"] = mine["containerID"]?.DeepClone(),
                ["exitCode"] = exitCode,
                ["finishedAt"] = now,
                ["reason"] = reason,
                ["startedAt"] = startedAt,
            };
            if (message is not null)
            {
                terminated["message"] = message;
            }

            mine["ready"] = false;
            mine["started"] = false;
            if (restart)
            {
                mine["lastState"] = new JsonObject { ["terminated"] = terminated };
                mine["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject
                    {
                        ["reason"] = "CrashLoopBackOff",
                        ["message"] = string.Create(CultureInfo.InvariantCulture,
                            $"back-off {(int)Math.Max(10, backOff.TotalSeconds)}s restarting failed container={process.Container} pod={process.PodName}_{process.Namespace}({uid})"),
                    },
                };
            }
            else
            {
                mine["state"] = new JsonObject { ["terminated"] = terminated };
            }

            var allDone = statuses.All(s => s["state"]?["terminated"] is not null);
            if (allDone)
            {
                var failed = statuses.Any(s => ObjectFacts.Int(s["state"]?["terminated"]?["exitCode"]) != 0);
                status["phase"] = failed ? "Failed" : "Succeeded";
            }

            SetReady(status, statuses, now, allDone ? (status["phase"]!.GetValue<string>() == "Failed" ? "PodFailed" : "PodCompleted") : "ContainersNotReady");
            return true;
        });

        if (restart)
        {
            _ = RestartAfterAsync(api, process, uid, run.RestartCount + 1, backOff, run.PodGone);
        }
    }

    private async Task RestartAfterAsync(ClusterApi api, PodProcess process, string uid, int restartCount, TimeSpan backOff, CancellationToken podGone)
    {
        try
        {
            await services.Elapse(backOff, capped: false, podGone);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var now = api.Now();
        var pods = api.Catalog.FindByPlural("", "v1", "pods")!;
        api.Mutate(pods, process.Namespace, process.PodName, pod =>
        {
            if (pod["metadata"]?["uid"]?.GetValue<string>() != uid || pod["status"] is not JsonObject status)
            {
                return false;
            }

            var statuses = (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var mine = statuses.FirstOrDefault(s => s["name"]?.GetValue<string>() == process.Container);
            if (mine is null)
            {
                return false;
            }

            mine["restartCount"] = restartCount;
            mine["ready"] = true;
            mine["started"] = true;
            mine["containerID"] = "containerd://" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{uid}/{process.Container}/{restartCount}")));
            mine["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
            SetReady(status, statuses, now, "ContainersNotReady");
            return true;
        });
    }

    private static void SetReady(JsonObject status, List<JsonObject> statuses, string now, string notReadyReason)
    {
        var ready = statuses.All(s => s["ready"]?.GetValue<bool>() == true);
        var unready = statuses.Where(s => s["ready"]?.GetValue<bool>() != true).Select(s => s["name"]?.GetValue<string>());
        foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = condition["type"]?.GetValue<string>();
            if (type is not ("Ready" or "ContainersReady"))
            {
                continue;
            }

            var value = ready ? "True" : "False";
            if (condition["status"]?.GetValue<string>() != value)
            {
                condition["status"] = value;
                condition["lastTransitionTime"] = now;
            }

            if (ready)
            {
                condition.Remove("reason");
                condition.Remove("message");
            }
            else
            {
                condition["reason"] = notReadyReason;
                if (notReadyReason == "ContainersNotReady")
                {
                    condition["message"] = $"containers with unready status: [{string.Join(' ', unready)}]";
                }
                else
                {
                    condition.Remove("message");
                }
            }
        }
    }
}
