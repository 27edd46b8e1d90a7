using System.Reflection;
using System.Reflection.Emit;

namespace LabNet.Simulator.Tests;

/// <summary>
/// Which namespace of an assembly uses which, read from the compiled code: every type's base type, interfaces, generic
/// arguments and constraints, fields, properties, events, method signatures, attributes, local variables, and every
/// type, method and field its IL names (calls, <c>new</c>, field access, <c>typeof</c>, casts). Nested and
/// compiler-generated types (lambdas' closures, async state machines) count for the namespace of the type that holds
/// them. What the compiler inlines (constants, <c>nameof</c>) leaves no trace and is not seen.
/// </summary>
public sealed class NamespaceDependencies
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly Assembly _assembly;
    private readonly string _prefix;

    private NamespaceDependencies(Assembly assembly, string prefix)
    {
        _assembly = assembly;
        _prefix = prefix;
    }

    /// <summary>Edge (from, to) with one example of a type in <c>from</c> that uses a type in <c>to</c>.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Edges { get; private set; } = new Dictionary<(string, string), string>();

    /// <summary>The dependencies between the namespaces of <paramref name="assembly"/> that start with <paramref name="prefix"/>.</summary>
    public static NamespaceDependencies Of(Assembly assembly, string prefix)
    {
        var graph = new NamespaceDependencies(assembly, prefix);
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            if (!graph.Owns(type))
            {
                continue;
            }

            foreach (var used in graph.TypesUsedBy(type))
            {
                if (used.Namespace != type.Namespace && graph.Owns(used))
                {
                    edges.TryAdd((type.Namespace!, used.Namespace!), $"{type.FullName} uses {used.FullName}");
                }
            }
        }

        graph.Edges = edges;
        return graph;
    }

    /// <summary>Every set of namespaces that reach each other (strongly connected, more than one), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var next = Edges.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Order(StringComparer.Ordinal).ToList());
        var nodes = Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToList();

        // Tarjan's strongly connected components.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[node] = Math.Min(low[node], index[to]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    components.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return components;
    }

    /// <summary>The edges inside one cycle, with their examples, for a failure message a reader can act on.</summary>
    public IEnumerable<string> Explain(IReadOnlyList<string> cycle) =>
        Edges.Where(e => cycle.Contains(e.Key.From) && cycle.Contains(e.Key.To))
            .OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"  {e.Key.From} -> {e.Key.To}: {e.Value}");

    private bool Owns(Type type) =>
        type.Assembly == _assembly && type.Namespace is { } ns && (ns == _prefix || ns.StartsWith(_prefix + ".", StringComparison.Ordinal));

    private HashSet<Type> TypesUsedBy(Type type)
    {
        var used = new HashSet<Type>();

        void Add(Type? t)
        {
            if (t is null || !used.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }

            if (t.IsGenericParameter)
            {
                foreach (var constraint in t.GetGenericParameterConstraints())
                {
                    Add(constraint);
                }
            }
        }

        void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(n => n.TypedValue)))
                {
                    Add(argument.ArgumentType);
                    Add(argument.Value as Type);
                }
            }
        }

        Add(type.BaseType);
        foreach (var face in type.GetInterfaces())
        {
            Add(face);
        }

        foreach (var parameter in type.IsGenericTypeDefinition ? type.GetGenericArguments() : [])
        {
            Add(parameter);
        }

        AddAttributes(type.CustomAttributes);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            Add(@event.EventHandlerType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddAttributes(method.CustomAttributes);
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
                foreach (var parameter in info.IsGenericMethodDefinition ? info.GetGenericArguments() : [])
                {
                    Add(parameter);
                }
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
                AddAttributes(parameter.CustomAttributes);
            }

            foreach (var referenced in TypesInBody(method))
            {
                Add(referenced);
            }
        }

        return used;
    }

    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                {
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    var member = method.Module.ResolveMember(token, typeArguments, methodArguments)!;
                    foreach (var referenced in TypesOf(member))
                    {
                        yield return referenced;
                    }

                    break;
                }

                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    position += opCode.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase method:
                yield return method.DeclaringType!;
                if (method is MethodInfo info)
                {
                    yield return info.ReturnType;
                    foreach (var argument in info.IsGenericMethod ? info.GetGenericArguments() : [])
                    {
                        yield return argument;
                    }
                }

                foreach (var parameter in method.GetParameters())
                {
                    yield return parameter.ParameterType;
                }

                break;
        }
    }
}
