using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using LabNet.Hubble.FlowApi;

namespace LabNet.FlowCollector.Flows;

/// <summary>
/// One of Cilium's flow.proto enums: its wire names (what <c>hubble observe -o json</c> prints) and numbers, read from
/// the generated descriptor so the names can never drift from the proto.
/// </summary>
public sealed class HubbleEnum
{
    private readonly FrozenDictionary<int, string> _names;
    private readonly Utf8Lookup<int> _numbers;

    private HubbleEnum(EnumDescriptor descriptor)
    {
        Name = descriptor.Name;
        _names = descriptor.Values
            .GroupBy(v => v.Number)
            .ToFrozenDictionary(g => g.Key, g => g.First().Name);
        _numbers = new Utf8Lookup<int>(descriptor.Values.Select(v => KeyValuePair.Create(v.Name, v.Number)));
    }

    public string Name { get; }

    public static HubbleEnum Verdict { get; } = Of(nameof(Verdict));

    public static HubbleEnum DropReason { get; } = Of(nameof(DropReason));

    public static HubbleEnum FlowType { get; } = Of(nameof(FlowType));

    public static HubbleEnum L7FlowType { get; } = Of(nameof(L7FlowType));

    public static HubbleEnum TrafficDirection { get; } = Of(nameof(TrafficDirection));

    public static HubbleEnum IPVersion { get; } = Of(nameof(IPVersion));

    public static HubbleEnum LostEventSource { get; } = Of(nameof(LostEventSource));

    /// <summary>The proto name of <paramref name="number"/>, or the number itself when this proto version has no name for it.</summary>
    public string NameOf(int number) => _names.TryGetValue(number, out var name) ? name : number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool TryParse(ReadOnlySpan<byte> utf8Name, out int number) => _numbers.TryGetValue(utf8Name, out number);

    private static HubbleEnum Of(string name) =>
        new(FlowReflection.Descriptor.EnumTypes.Single(e => e.Name == name));
}
