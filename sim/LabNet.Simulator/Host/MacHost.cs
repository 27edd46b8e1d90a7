using LabNet.Simulator.Clock;
using LabNet.Simulator.Faults;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Host;

/// <summary>
/// The simulated Mac: Tart's local VMs and OCI cache, the host's memory, and vmnet's two DHCP servers. Every state
/// change happens under <see cref="Sync"/>; modeled waits happen outside it.
/// </summary>
public sealed class MacHost(
    IOptions<MacHostOptions> options,
    SimulationClock clock,
    SimulationRandom random,
    FaultInjector faults,
    IOptions<ModeledDurations> durations,
    IServiceProvider services,
    ILogger<MacHost> logger)
{
    private readonly MacHostOptions _options = options.Value;
    private readonly Dictionary<string, TartVm> _vms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RemoteImage Image, DateTimeOffset Pulled)> _cache = new(StringComparer.Ordinal);

    private IReadOnlyList<IVmLifecycleObserver>? _observers;

    public Lock Sync { get; } = new();

    // Resolved on first use (the observers depend on the host), kept so that shutdown can still power VMs off.
    private IReadOnlyList<IVmLifecycleObserver> Observers => _observers ??= services.GetServices<IVmLifecycleObserver>().ToList();

    public MacHostOptions Options => _options;

    public SimulationClock Clock => clock;

    public SimulationRandom Random => random;

    public FaultInjector Faults => faults;

    public ModeledDurations Durations => durations.Value;

    public DhcpServer NatDhcp { get; } = new(options.Value.NatSubnet, TimeSpan.FromSeconds(options.Value.NatLeaseSeconds));

    public DhcpServer SoftnetDhcp { get; } = new(options.Value.SoftnetSubnet, TimeSpan.FromSeconds(options.Value.SoftnetLeaseSeconds));

    public IReadOnlyList<TartVm> Vms
    {
        get
        {
            lock (Sync)
            {
                return [.. _vms.Values.OrderBy(v => v.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Resolves the lifecycle observers while the container is alive (before the first boot).</summary>
    public void EnsureObservers() => _ = Observers;

    public TartVm? FindVm(string name)
    {
        lock (Sync)
        {
            return _vms.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<(RemoteImage Image, DateTimeOffset Pulled)> CachedImages
    {
        get
        {
            lock (Sync)
            {
                return [.. _cache.Values.OrderBy(c => c.Image.Reference, StringComparer.Ordinal)];
            }
        }
    }

    public bool IsCached(string reference)
    {
        lock (Sync)
        {
            return _cache.ContainsKey(reference);
        }
    }

    public void AddToCache(RemoteImage image)
    {
        lock (Sync)
        {
            _cache[image.Reference] = (image, clock.Now);
        }
    }

    /// <summary>Creates or silently replaces a local VM, as <c>tart clone</c> does.</summary>
    public TartVm Clone(RemoteImage image, string name, string? sourceMac)
    {
        lock (Sync)
        {
            var mac = sourceMac ?? image.Mac;
            // Tart keeps the source's MAC unless another local VM already uses it.
            if (_vms.Values.Any(v => v.Name != name && string.Equals(v.Mac, mac, StringComparison.OrdinalIgnoreCase)))
            {
                mac = RandomMac();
            }

            _vms.TryGetValue(name, out var replaced);
            var vm = new TartVm(name, image, mac, clock.Now);
            _vms[name] = vm;
            if (replaced is not null)
            {
                Deleted(replaced);
            }

            return vm;
        }
    }

    private void Deleted(TartVm vm)
    {
        foreach (var observer in Observers)
        {
            observer.OnDeleted(vm);
        }
    }

    public bool Delete(string name)
    {
        lock (Sync)
        {
            if (!_vms.Remove(name, out var vm))
            {
                return false;
            }

            Deleted(vm);
            return true;
        }
    }

    /// <summary>A locally administered unicast MAC, as Virtualization.framework generates.</summary>
    public string RandomMac()
    {
        Span<byte> bytes = stackalloc byte[6];
        random.Fill(bytes);
        bytes[0] = (byte)((bytes[0] & 0xFC) | 0x02);
        return string.Join(':', bytes.ToArray().Select(b => b.ToString("x2")));
    }

    /// <summary>Memory the running VMs hold, in MB.</summary>
    public int CommittedMemoryMb
    {
        get
        {
            lock (Sync)
            {
                return _vms.Values.Where(v => v.State is VmState.Running).Sum(v => v.MemoryMb);
            }
        }
    }

    public DhcpServer DhcpFor(NetworkAttachment attachment) => attachment.Mode is NetworkMode.Softnet ? SoftnetDhcp : NatDhcp;

    /// <summary>The running VM that holds an address now.</summary>
    public TartVm? FindByAddress(string address)
    {
        lock (Sync)
        {
            return _vms.Values.FirstOrDefault(v => v.State is VmState.Running && v.Address == address);
        }
    }

    /// <summary>
    /// Whether a packet from one VM reaches an address. Shared NAT isolates its members from each other; Softnet keeps
    /// vmnet isolation on unless its allow list is exactly 0.0.0.0/0, and then its VMs share one L2 segment.
    /// </summary>
    public bool CanReach(TartVm from, string address)
    {
        lock (Sync)
        {
            var to = _vms.Values.FirstOrDefault(v => v.State is VmState.Running && v.Address == address);
            if (to is null || from.State is not VmState.Running)
            {
                return false;
            }

            if (ReferenceEquals(from, to))
            {
                return true;
            }

            return from.Attachment.SharesSegment && to.Attachment.SharesSegment;
        }
    }

    /// <summary>
    /// Powers a VM on with its network attachment, if the Mac can back its memory; a MAC another running VM has is
    /// replaced first (as Tart does). The caller then boots it (<see cref="BootAsync"/>) and waits for its run to stop.
    /// </summary>
    public VmStart Start(TartVm vm, NetworkAttachment attachment)
    {
        lock (Sync)
        {
            if (vm.State is VmState.Running)
            {
                return new VmStart(VmStartOutcome.AlreadyRunning, null);
            }

            if (vm.MemoryMb > _options.MemoryMb - _options.ReservedMemoryMb - CommittedMemoryMb)
            {
                return new VmStart(VmStartOutcome.OutOfMemory, null);
            }

            var newMac = _vms.Values.Any(v => v != vm && v.State is VmState.Running && string.Equals(v.Mac, vm.Mac, StringComparison.OrdinalIgnoreCase));
            if (newMac)
            {
                vm.Mac = RandomMac();
            }

            EnsureObservers();
            var run = new VmRun();
            vm.Run = run;
            vm.State = VmState.Running;
            vm.Attachment = attachment;
            vm.Address = null;
            vm.SshReady = false;
            vm.Accessed = clock.Now;
            return new VmStart(newMac ? VmStartOutcome.StartedWithNewMac : VmStartOutcome.Started, run);
        }
    }

    /// <summary>Asks a running VM's guest to shut down (SIGINT to its <c>tart run</c>); false when it is not running or already stopping.</summary>
    public bool RequestStop(TartVm vm)
    {
        lock (Sync)
        {
            if (vm.State is not VmState.Running || vm.Run is not { StopRequested: false } run)
            {
                return false;
            }

            run.StopRequested = true;
            return true;
        }
    }

    /// <summary>The freshest DHCP lease for the VM's MAC, whether or not it runs (bootpd keeps a stopped VM's last lease).</summary>
    public string? LeasedAddress(TartVm vm)
    {
        lock (Sync)
        {
            return new[] { SoftnetDhcp.Find(vm.Mac), NatDhcp.Find(vm.Mac) }
                .Where(l => l is not null)
                .OrderByDescending(l => l!.Held)
                .ThenByDescending(l => l!.Expires)
                .FirstOrDefault()?.Address;
        }
    }

    /// <summary>The Mac's ARP cache only sees guests on the shared NAT bridge that sent traffic.</summary>
    public string? ArpAddress(TartVm vm)
    {
        lock (Sync)
        {
            return vm.State is VmState.Running && vm.Attachment.Mode is NetworkMode.Nat ? vm.Address : null;
        }
    }

    /// <summary>What the guest agent reports: the address of a booted, running guest.</summary>
    public string? AgentAddress(TartVm vm)
    {
        lock (Sync)
        {
            return vm.State is VmState.Running && vm.SshReady ? vm.Address : null;
        }
    }

    /// <summary>Power-on to a booted guest with an address; runs in the background of <c>tart run</c>.</summary>
    public async Task BootAsync(TartVm vm, VmRun run)
    {
        var token = run.PowerOff.Token;
        // The boot goes on after tart run's call; whoever waits for the guest (tart ip, ssh) waits for its end.
        var boot = clock.StartBackground();
        try
        {
            await clock.Elapse(durations.Value.VmBoot, token);
            lock (vm.Guest.Sync)
            {
                vm.Guest.Boot();
            }

            await clock.Elapse(random.Between(durations.Value.DhcpMin, durations.Value.DhcpMax), token);
            lock (Sync)
            {
                token.ThrowIfCancellationRequested();
                if (!faults.Fire(FaultKind.NoIpAddress, vm.Name))
                {
                    var dhcp = DhcpFor(vm.Attachment);
                    var reuse = random.NextDouble() < _options.ExpiredLeaseReuseProbability;
                    var forceNew = faults.Fire(FaultKind.NewIpOnRestart, vm.Name);
                    var lease = dhcp.Acquire(vm.Mac, vm.Guest.Hostname, clock.Now, reuse, forceNew);
                    vm.Address = lease.Address;
                }

                vm.SshReady = true;
                vm.BootedAt = boot.Now;
                vm.Guest.AptJobs = faults.Fire(FaultKind.AptLockAtBoot, vm.Name)
                    ? new Guest.FirstBootAptJobs(boot.Now + durations.Value.FirstBootAptDaily, boot.Now + durations.Value.FirstBootAptDaily + durations.Value.FirstBootUnattendedUpgrades)
                    : null;
            }

            foreach (var observer in Observers)
            {
                await observer.OnBootedAsync(vm, token);
            }
        }
        catch (OperationCanceledException)
        {
            // Powered off while booting.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Boot of VM {Vm} failed", vm.Name);
        }
    }

    /// <summary>Powers the VM off now (guest shutdown already waited for by the caller).</summary>
    public void PowerOff(TartVm vm)
    {
        VmRun? run;
        lock (Sync)
        {
            run = vm.Run;
            if (vm.State is not VmState.Running || run is null)
            {
                return;
            }

            vm.State = VmState.Stopped;
            vm.SshReady = false;
            vm.Run = null;
            DhcpFor(vm.Attachment).Release(vm.Mac, clock.Now);
            vm.Address = null;
            vm.Accessed = clock.Now;
        }

        lock (vm.Guest.Sync)
        {
            vm.Guest.PowerOff();
        }

        run.MarkStopped();
        foreach (var observer in Observers)
        {
            observer.OnStopped(vm);
        }
    }
}
