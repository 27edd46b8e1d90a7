namespace LabNet.Provisioner.Provisioning;

/// <summary>A failure that may pass by itself (ssh not up yet, a flaky download): the step is retried with backoff.</summary>
public sealed class TransientStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure that retrying will not fix: the cluster stops at this step, the other clusters go on.</summary>
public sealed class PermanentStepException(string message, Exception? inner = null) : Exception(message, inner);
