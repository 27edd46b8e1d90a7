using System.Diagnostics.Metrics;

namespace LabNet.Provisioner.Tests.Tools;

/// <summary>An <see cref="IMeterFactory"/> for tests that owns and disposes the meters it creates.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
