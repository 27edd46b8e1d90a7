namespace LabNet.Simulator.Cel;

/// <summary>Kubernetes' regex library: <c>'abc 123'.find('[0-9]+')</c> and <c>findAll(regex[, limit])</c>.</summary>
public sealed class KubernetesRegex : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string>();

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is not string text || args.Length == 0 || args[0] is not string pattern)
        {
            return null;
        }

        System.Text.RegularExpressions.Regex regex;
        try
        {
            regex = CelFunctions.CompileRegex(pattern);
        }
        catch (ArgumentException e)
        {
            return new CelError($"error parsing regexp: {e.Message}");
        }

        switch (function, args.Length)
        {
            case ("find", 1):
                return regex.Match(text) is { Success: true } match ? match.Value : "";
            case ("findAll", 1):
                return new CelList([.. regex.Matches(text).Select(m => (object)m.Value)]);
            case ("findAll", 2) when args[1] is long limit:
                var matches = regex.Matches(text).Select(m => (object)m.Value);
                return new CelList([.. limit < 0 ? matches : matches.Take((int)Math.Min(limit, int.MaxValue))]);
            default:
                return null;
        }
    }
}
