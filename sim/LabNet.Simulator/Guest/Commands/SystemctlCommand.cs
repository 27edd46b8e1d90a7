namespace LabNet.Simulator.Guest.Commands;

/// <summary>systemctl: start/stop/restart/enable/disable/daemon-reload/is-active/is-enabled/status of the guest's units.</summary>
public sealed class SystemctlCommand(IEnumerable<IGuestServiceObserver> observers) : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["systemctl"];

    public async Task<int> RunAsync(CommandCall call)
    {
        var args = call.Args.Where(a => !a.StartsWith('-')).ToList();
        var now = call.Args.Contains("--now");
        var quiet = call.Args.Contains("-q") || call.Args.Contains("--quiet");
        if (args.Count == 0)
        {
            return call.Fail("systemctl: the LabNet guest lists no units; name one");
        }

        var verb = args[0];
        var units = args.Skip(1).Select(u => u.EndsWith(".service", StringComparison.Ordinal) ? u[..^8] : u).ToList();
        if (verb == "daemon-reload")
        {
            return call.IsRoot ? 0 : call.Fail("Failed to reload daemon: Interactive authentication required.");
        }

        var mutating = verb is "start" or "stop" or "restart" or "enable" or "disable" or "reload" or "try-restart";
        if (mutating && !call.IsRoot)
        {
            return call.Fail($"Failed to {verb} {units.FirstOrDefault()}.service: Interactive authentication required.\nSee system logs and 'systemctl status {units.FirstOrDefault()}.service' for details.");
        }

        var code = 0;
        foreach (var unit in units)
        {
            GuestService? service;
            lock (call.Guest.Sync)
            {
                service = call.Guest.Services.GetValueOrDefault(unit);
            }

            if (service is null)
            {
                if (verb is "is-active" or "is-enabled")
                {
                    if (!quiet)
                    {
                        call.Out.WriteLine(verb == "is-active" ? "inactive" : "not-found");
                    }

                    code = verb == "is-active" ? 3 : 1;
                    continue;
                }

                code = call.Fail(verb is "status"
                    ? $"Unit {unit}.service could not be found."
                    : $"Failed to {verb} {unit}.service: Unit {unit}.service not found.", verb == "status" ? 4 : 5);
                continue;
            }

            bool? runningChange = null;
            switch (verb)
            {
                case "start" or "restart" or "reload" or "try-restart":
                    await call.Elapse(call.Durations.ServiceRestart);
                    runningChange = true;
                    break;
                case "stop":
                    runningChange = false;
                    break;
                case "enable":
                    service.Enabled = true;
                    call.Error.WriteLine($"Synchronizing state of {unit}.service with SysV service script with /usr/lib/systemd/systemd-sysv-install.");
                    if (now)
                    {
                        runningChange = true;
                    }

                    break;
                case "disable":
                    service.Enabled = false;
                    if (now)
                    {
                        runningChange = false;
                    }

                    break;
                case "is-active":
                    if (!quiet)
                    {
                        call.Out.WriteLine(service.Running ? "active" : "inactive");
                    }

                    code = service.Running ? code : 3;
                    break;
                case "is-enabled":
                    if (!quiet)
                    {
                        call.Out.WriteLine(service.Enabled ? "enabled" : "disabled");
                    }

                    code = service.Enabled ? code : 1;
                    break;
                case "status":
                    call.Out.WriteLine($"● {unit}.service");
                    call.Out.WriteLine($"     Loaded: loaded (/usr/lib/systemd/system/{unit}.service; {(service.Enabled ? "enabled" : "disabled")}; preset: enabled)");
                    call.Out.WriteLine($"     Active: {(service.Running ? "active (running)" : "inactive (dead)")}");
                    code = service.Running ? code : 3;
                    break;
                default:
                    return call.Fail($"Unknown command verb '{verb}'.");
            }

            if (runningChange is { } running)
            {
                service.Running = running;
                foreach (var observer in observers)
                {
                    await observer.OnServiceChangedAsync(call.Vm, unit, running, call.Cancellation);
                }
            }
        }

        return code;
    }
}
