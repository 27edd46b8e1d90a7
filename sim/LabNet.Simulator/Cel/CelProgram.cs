namespace LabNet.Simulator.Cel;

/// <summary>A parsed expression ready to evaluate many times (parse once per CRD version, evaluate per write).</summary>
public sealed class CelProgram
{
    private readonly CelEvaluator _evaluator;

    private CelProgram(string source, CelExpr expression, CelFunctions functions)
    {
        Source = source;
        Expression = expression;
        _evaluator = new CelEvaluator(functions);
    }

    public string Source { get; }

    public CelExpr Expression { get; }

    /// <summary>Parses <paramref name="source"/>; a malformed expression throws <see cref="CelParseException"/>.</summary>
    public static CelProgram Compile(string source, CelFunctions? functions = null) =>
        new(source, CelParser.Parse(source), functions ?? CelFunctions.Kubernetes);

    /// <summary>The value, or a <see cref="CelError"/> when evaluation fails.</summary>
    public object Evaluate(IReadOnlyDictionary<string, object> variables) => _evaluator.Evaluate(Expression, variables);

    /// <summary>Whether the expression refers to <paramref name="variable"/> (a transition rule uses <c>oldSelf</c>).</summary>
    public bool References(string variable) => Mentions(Expression, variable);

    private static bool Mentions(CelExpr expr, string variable) => expr switch
    {
        CelIdent ident => ident.Name == variable,
        CelSelect select => Mentions(select.Operand, variable),
        CelCall call => (call.Target is not null && Mentions(call.Target, variable)) || call.Args.Any(a => Mentions(a, variable)),
        CelCreateList list => list.Elements.Any(e => Mentions(e, variable)),
        CelCreateMap map => map.Entries.Any(e => Mentions(e.Key, variable) || Mentions(e.Value, variable)),
        CelMacro macro => Mentions(macro.Target, variable)
            || (macro.Variable != variable && (Mentions(macro.Body, variable) || (macro.Filter is not null && Mentions(macro.Filter, variable)))),
        _ => false,
    };
}
