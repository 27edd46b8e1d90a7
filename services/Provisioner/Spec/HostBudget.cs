namespace LabNet.Provisioner.Spec;

/// <summary>What the Mac can give the VMs, and the VM network the cluster CIDRs must stay clear of.</summary>
public sealed record HostBudget(int CpuCount, int MemoryMb, string VmNetworkCidr);
