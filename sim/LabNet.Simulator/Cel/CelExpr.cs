namespace LabNet.Simulator.Cel;

/// <summary>A parsed CEL expression (cel-go's AST without type information; macros kept as their own nodes).</summary>
public abstract record CelExpr;

public sealed record CelLiteral(object Value) : CelExpr;

public sealed record CelIdent(string Name) : CelExpr;

/// <summary><c>operand.field</c>; <paramref name="TestOnly"/> for <c>has(operand.field)</c>; <paramref name="Optional"/> for <c>operand.?field</c>.</summary>
public sealed record CelSelect(CelExpr Operand, string Field, bool TestOnly = false, bool Optional = false) : CelExpr;

/// <summary>A function call, <c>f(args)</c> or <c>target.f(args)</c>; operators are calls named like cel-go's (<c>_+_</c>, <c>_[_]</c>, <c>!_</c>).</summary>
public sealed record CelCall(CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr;

public sealed record CelCreateList(IReadOnlyList<CelExpr> Elements, IReadOnlyList<bool> OptionalElements) : CelExpr;

public sealed record CelCreateMap(IReadOnlyList<CelMapEntry> Entries) : CelExpr;

public sealed record CelMapEntry(CelExpr Key, CelExpr Value, bool Optional);

public enum CelMacroKind
{
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}

/// <summary><c>target.all(v, predicate)</c> and friends; <paramref name="Filter"/> is the predicate of the three-argument <c>map</c>.</summary>
public sealed record CelMacro(CelMacroKind Kind, CelExpr Target, string Variable, CelExpr Body, CelExpr? Filter = null) : CelExpr;

/// <summary>A malformed expression, with cel-go's kind of message (<c>ERROR: &lt;input&gt;:1:5: Syntax error: ...</c>).</summary>
public sealed class CelParseException(string message) : Exception(message);
