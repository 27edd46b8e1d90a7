namespace LabNet.Simulator.Cel;

/// <summary>
/// Evaluates a parsed expression with CEL's semantics and no type checker: errors are values, <c>&amp;&amp;</c> and
/// <c>||</c> are commutative over errors (<c>error || true</c> is true), <c>all</c> and <c>exists</c> absorb errors
/// the same way, every other function propagates its arguments' first error.
/// </summary>
public sealed class CelEvaluator(CelFunctions functions)
{
    /// <summary>The type identifiers every expression can name (<c>type(x) == int</c>).</summary>
    private static readonly Dictionary<string, CelType> TypeNames = new[]
    {
        CelType.Int, CelType.Uint, CelType.Double, CelType.Bool, CelType.String, CelType.Bytes, CelType.List, CelType.Map,
        CelType.Null, CelType.Type, CelType.Duration, CelType.Timestamp,
    }.ToDictionary(t => t.Name);

    public object Evaluate(CelExpr expr, IReadOnlyDictionary<string, object> variables) =>
        Eval(expr, new Scope(variables, null, null));

    private sealed class Scope(IReadOnlyDictionary<string, object>? variables, Scope? parent, (string Name, object Value)? local)
    {
        public bool TryResolve(string name, out object value)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
            {
                if (scope.Local is { } l && l.Name == name)
                {
                    value = l.Value;
                    return true;
                }

                if (scope.Variables is not null && scope.Variables.TryGetValue(name, out var found))
                {
                    value = found;
                    return true;
                }
            }

            value = null!;
            return false;
        }

        private IReadOnlyDictionary<string, object>? Variables => variables;

        private Scope? Parent => parent;

        private (string Name, object Value)? Local => local;

        public Scope With(string name, object value) => new(null, this, (name, value));
    }

    private object Eval(CelExpr expr, Scope scope) => expr switch
    {
        CelLiteral literal => literal.Value,
        CelIdent ident => scope.TryResolve(ident.Name, out var value) ? value
            : TypeNames.TryGetValue(ident.Name, out var type) ? type
            : new CelError($"no such attribute: {ident.Name}"),
        CelSelect select => Select(select, scope),
        CelCall call => Call(call, scope),
        CelCreateList list => CreateList(list, scope),
        CelCreateMap map => CreateMap(map, scope),
        CelMacro macro => Macro(macro, scope),
        _ => new CelError($"unsupported expression {expr.GetType().Name}"),
    };

    private object Select(CelSelect select, Scope scope)
    {
        var operand = Eval(select.Operand, scope);
        if (operand is CelError)
        {
            return operand;
        }

        var wrapOptional = select.Optional;
        if (operand is CelOptional optional)
        {
            if (!optional.HasValue)
            {
                return CelOptional.None;
            }

            operand = optional.Value!;
            wrapOptional = true;
        }

        if (operand is not CelMap map)
        {
            return select.TestOnly ? CelError.NoSuchOverload : new CelError($"type '{CelFunctions.TypeOf(operand).Name}' does not support field selection");
        }

        var found = map.TryGetValue(select.Field, out var value);
        if (select.TestOnly)
        {
            return found;
        }

        if (wrapOptional)
        {
            return found ? new CelOptional(value) : CelOptional.None;
        }

        return found ? value : new CelError($"no such key: {select.Field}");
    }

    private object Call(CelCall call, Scope scope)
    {
        switch (call.Function)
        {
            case "_&&_":
                return And(call.Args[0], call.Args[1], scope);
            case "_||_":
                return Or(call.Args[0], call.Args[1], scope);
            case "_?_:_":
            {
                var condition = Eval(call.Args[0], scope);
                return condition switch
                {
                    true => Eval(call.Args[1], scope),
                    false => Eval(call.Args[2], scope),
                    CelError error => error,
                    _ => CelError.NoMatchingOverload("_?_:_"),
                };
            }
        }

        // A namespaced function (sets.contains, strings.quote, optional.of) parses as a call on an identifier.
        if (call.Target is CelIdent ns && !scope.TryResolve(ns.Name, out _) && functions.IsGlobal($"{ns.Name}.{call.Function}"))
        {
            return Invoke($"{ns.Name}.{call.Function}", null, call.Args, scope);
        }

        if (call.Target is null)
        {
            return Invoke(call.Function, null, call.Args, scope);
        }

        var target = Eval(call.Target, scope);
        return target is CelError ? target : Invoke(call.Function, target, call.Args, scope);
    }

    private object Invoke(string function, object? target, IReadOnlyList<CelExpr> argExprs, Scope scope)
    {
        var args = new object[argExprs.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Eval(argExprs[i], scope);
            if (args[i] is CelError)
            {
                return args[i];
            }
        }

        return functions.Invoke(function, target, args);
    }

    private object And(CelExpr leftExpr, CelExpr rightExpr, Scope scope)
    {
        var left = Eval(leftExpr, scope);
        if (left is false)
        {
            return false;
        }

        var right = Eval(rightExpr, scope);
        return LogicalAnd(left, right);
    }

    private object Or(CelExpr leftExpr, CelExpr rightExpr, Scope scope)
    {
        var left = Eval(leftExpr, scope);
        if (left is true)
        {
            return true;
        }

        var right = Eval(rightExpr, scope);
        return LogicalOr(left, right);
    }

    private static object LogicalAnd(object left, object right) => (left, right) switch
    {
        (false, _) or (_, false) => false,
        (true, true) => true,
        (CelError e, _) => e,
        (_, CelError e) => e,
        _ => CelError.NoMatchingOverload("_&&_"),
    };

    private static object LogicalOr(object left, object right) => (left, right) switch
    {
        (true, _) or (_, true) => true,
        (false, false) => false,
        (CelError e, _) => e,
        (_, CelError e) => e,
        _ => CelError.NoMatchingOverload("_||_"),
    };

    private object CreateList(CelCreateList list, Scope scope)
    {
        var items = new List<object>(list.Elements.Count);
        for (var i = 0; i < list.Elements.Count; i++)
        {
            var value = Eval(list.Elements[i], scope);
            if (value is CelError)
            {
                return value;
            }

            if (list.OptionalElements[i])
            {
                if (value is not CelOptional optional)
                {
                    return CelError.NoMatchingOverload("optional list element");
                }

                if (optional.HasValue)
                {
                    items.Add(optional.Value!);
                }

                continue;
            }

            items.Add(value);
        }

        return new CelList(items);
    }

    private object CreateMap(CelCreateMap create, Scope scope)
    {
        var map = new CelMap();
        foreach (var entry in create.Entries)
        {
            var key = Eval(entry.Key, scope);
            if (key is CelError)
            {
                return key;
            }

            if (key is not (long or ulong or bool or string))
            {
                return new CelError($"unsupported key type: {CelFunctions.TypeOf(key).Name}");
            }

            var value = Eval(entry.Value, scope);
            if (value is CelError)
            {
                return value;
            }

            if (entry.Optional)
            {
                if (value is not CelOptional optional)
                {
                    return CelError.NoMatchingOverload("optional map entry");
                }

                if (!optional.HasValue)
                {
                    continue;
                }

                value = optional.Value!;
            }

            if (!map.TryAdd(key, value))
            {
                return new CelError($"Failed with repeated key: {CelFunctions.Format(key)}");
            }
        }

        return map;
    }

    private object Macro(CelMacro macro, Scope scope)
    {
        var target = Eval(macro.Target, scope);
        IEnumerable<object> range;
        switch (target)
        {
            case CelError:
                return target;
            case CelList list:
                range = list;
                break;
            case CelMap map:
                range = map.Keys;
                break;
            default:
                return CelError.NoMatchingOverload(macro.Kind switch
                {
                    CelMacroKind.All => "all",
                    CelMacroKind.Exists => "exists",
                    CelMacroKind.ExistsOne => "exists_one",
                    CelMacroKind.Map => "map",
                    _ => "filter",
                });
        }

        switch (macro.Kind)
        {
            case CelMacroKind.All:
            {
                object result = true;
                foreach (var item in range)
                {
                    result = LogicalAnd(result, Eval(macro.Body, scope.With(macro.Variable, item)));
                    if (result is false)
                    {
                        return false;
                    }
                }

                return result;
            }

            case CelMacroKind.Exists:
            {
                object result = false;
                foreach (var item in range)
                {
                    result = LogicalOr(result, Eval(macro.Body, scope.With(macro.Variable, item)));
                    if (result is true)
                    {
                        return true;
                    }
                }

                return result;
            }

            case CelMacroKind.ExistsOne:
            {
                var count = 0;
                foreach (var item in range)
                {
                    switch (Eval(macro.Body, scope.With(macro.Variable, item)))
                    {
                        case true:
                            count++;
                            break;
                        case false:
                            break;
                        case CelError error:
                            return error;
                        default:
                            return CelError.NoMatchingOverload("exists_one");
                    }
                }

                return count == 1;
            }

            default:
            {
                var results = new List<object>();
                foreach (var item in range)
                {
                    var inner = scope.With(macro.Variable, item);
                    var condition = macro.Kind == CelMacroKind.Filter ? macro.Body : macro.Filter;
                    if (condition is not null)
                    {
                        switch (Eval(condition, inner))
                        {
                            case false:
                                continue;
                            case true:
                                break;
                            case CelError error:
                                return error;
                            default:
                                return CelError.NoMatchingOverload(macro.Kind == CelMacroKind.Filter ? "filter" : "map");
                        }
                    }

                    var value = macro.Kind == CelMacroKind.Filter ? item : Eval(macro.Body, inner);
                    if (value is CelError)
                    {
                        return value;
                    }

                    results.Add(value);
                }

                return new CelList(results);
            }
        }
    }
}
