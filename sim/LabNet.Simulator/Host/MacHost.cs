using LabNet.Simulator.Clock;
using LabNet.Simulator.Faults;
using LabNet.Simulator.Tart;
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
