namespace LabNet.Simulator.Cel;

/// <summary>
/// Kubernetes' list library (<c>k8s.io/apiserver/pkg/cel/library/lists.go</c>): <c>isSorted</c> (non-decreasing),
/// <c>sum</c>, <c>min</c>, <c>max</c>, <c>indexOf</c>, <c>lastIndexOf</c>.
/// </summary>
public sealed class KubernetesLists : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string>();

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is not CelList list)
        {
            return null;
        }

        return (function, args.Length) switch
        {
            ("isSorted", 0) => IsSorted(list),
            ("sum", 0) => Sum(list),
            ("min", 0) => Extreme(list, "min", -1),
            ("max", 0) => Extreme(list, "max", 1),
            ("indexOf", 1) => (long)IndexOf(list, args[0], fromEnd: false),
            ("lastIndexOf", 1) => (long)IndexOf(list, args[0], fromEnd: true),
            _ => null,
        };
    }

    private static object IsSorted(CelList list)
    {
        for (var i = 1; i < list.Count; i++)
        {
            switch (CelEquality.Compare(list[i - 1], list[i]))
            {
                case null:
                    return CelError.NoSuchOverload;
                case 1:
                    return false;
            }
        }

        return list.Count == 1 && CelEquality.Compare(list[0], list[0]) is null ? CelError.NoSuchOverload : true;
    }

    private static object Sum(CelList list)
    {
        if (list.Count == 0)
        {
            return 0L;
        }

        var total = list[0];
        if (total is not (long or ulong or double or TimeSpan))
        {
            return CelError.NoSuchOverload;
        }

        for (var i = 1; i < list.Count; i++)
        {
            total = CelFunctions.Add(total, list[i]);
            if (total is CelError)
            {
                return total;
            }
        }

        return total;
    }

    private static object Extreme(CelList list, string name, int preferred)
    {
        if (list.Count == 0)
        {
            return new CelError($"{name} called on empty list");
        }

        var result = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            switch (CelEquality.Compare(list[i], result))
            {
                case null:
                    return CelError.NoSuchOverload;
                case var c when c == preferred:
                    result = list[i];
                    break;
            }
        }

        return result;
    }

    private static int IndexOf(CelList list, object item, bool fromEnd)
    {
        for (var n = 0; n < list.Count; n++)
        {
            var i = fromEnd ? list.Count - 1 - n : n;
            if (CelEquality.AreEqual(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }
}
