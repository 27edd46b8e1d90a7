using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Parses Kubernetes label selectors (<c>matchLabels</c>, <c>matchExpressions</c>) with Cilium's source prefixes.</summary>
internal static class SelectorParser
{
    private static readonly string[] Fields = ["matchLabels", "matchExpressions"];
    private static readonly string[] ExpressionFields = ["key", "operator", "values"];

    public static EndpointSelector? Parse(PolicyParseContext context, JsonNode? node, string path)
    {
        var obj = context.Object(node, path);
        if (obj is null)
        {
            return node is null ? EndpointSelector.All : null;
        }

        context.RejectUnknownFields(obj, path, Fields);
        var requirements = new List<LabelRequirement>();
        var valid = true;

        if (context.Object(obj["matchLabels"], PolicyParseContext.Join(path, "matchLabels")) is { } matchLabels)
        {
            foreach (var (key, valueNode) in matchLabels)
            {
                var valuePath = PolicyParseContext.Join(path, $"matchLabels.{key}");
                var value = context.String(valueNode, valuePath);
                if (value is null)
                {
                    valid = false;
                    continue;
                }

                var (source, name) = LabelSources.SplitSelectorKey(key);
                requirements.Add(new LabelRequirement(source, name, SelectorOperator.In, [value]));
            }
        }

        if (context.Array(obj["matchExpressions"], PolicyParseContext.Join(path, "matchExpressions")) is { } expressions)
        {
            for (var i = 0; i < expressions.Count; i++)
            {
                var expressionPath = PolicyParseContext.Index(PolicyParseContext.Join(path, "matchExpressions"), i);
                var requirement = ParseExpression(context, expressions[i], expressionPath);
                if (requirement is null)
                {
                    valid = false;
                }
                else
                {
                    requirements.Add(requirement);
                }
            }
        }

        return valid ? new EndpointSelector(requirements) : null;
    }

    private static LabelRequirement? ParseExpression(PolicyParseContext context, JsonNode? node, string path)
    {
        var obj = context.Object(node, path);
        if (obj is null)
        {
            context.Error(path, "must be an object with key, operator and values");
            return null;
        }

        context.RejectUnknownFields(obj, path, ExpressionFields);
        var key = context.String(obj["key"], PolicyParseContext.Join(path, "key"));
        var operatorText = context.String(obj["operator"], PolicyParseContext.Join(path, "operator"));
        if (key is null || key.Length == 0)
        {
            context.Error(PolicyParseContext.Join(path, "key"), "is required; name the label key, e.g. key: app");
            return null;
        }

        if (!Enum.TryParse<SelectorOperator>(operatorText, ignoreCase: false, out var op) || operatorText is null || !Enum.IsDefined(op) || char.IsDigit(operatorText[0]))
        {
            context.Error(PolicyParseContext.Join(path, "operator"),
                $"\"{operatorText}\" is not a selector operator; use one of In, NotIn, Exists, DoesNotExist");
            return null;
        }

        var values = new List<string>();
        if (context.Array(obj["values"], PolicyParseContext.Join(path, "values")) is { } valuesArray)
        {
            for (var i = 0; i < valuesArray.Count; i++)
            {
                if (context.String(valuesArray[i], PolicyParseContext.Index(PolicyParseContext.Join(path, "values"), i)) is { } value)
                {
                    values.Add(value);
                }
            }
        }

        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                context.Error(PolicyParseContext.Join(path, "values"), $"must be non-empty when operator is {op}; list the values to match");
                return null;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                context.Error(PolicyParseContext.Join(path, "values"), $"must be empty when operator is {op}; remove values");
                return null;
        }

        var (source, name) = LabelSources.SplitSelectorKey(key);
        return new LabelRequirement(source, name, op, values);
    }
}
