using System.Text.Json;

namespace LabNet.Provisioner.Spec;

/// <summary>
/// Reads <c>clusters.json</c> into a <see cref="LabSpec"/>, collecting every problem with its JSON path before giving
/// up, so a person fixes the file once instead of once per error. The semantic rules live in <see cref="LabSpecValidator"/>.
/// </summary>
public static class LabSpecReader
{
    public static async Task<LabSpecResult> ReadFileAsync(string path, HostBudget budget, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return LabSpecResult.Invalid([new SpecProblem(path, "$", $"The lab spec cannot be read: {ex.Message}",
                "Point Lab:SpecPath at a readable clusters.json (the default is config/clusters.json in the repository).")]);
        }

        return Read(path, json, budget);
    }

    public static LabSpecResult Read(string file, string json, HostBudget budget)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return LabSpecResult.Invalid([new SpecProblem(file, ex.Path is { Length: > 0 } p ? p : "$",
                $"Not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}",
                "Correct the JSON syntax at that position (a missing comma, quote or bracket is the usual cause).")]);
        }

        using (document)
        {
            var problems = new List<SpecProblem>();
            var fields = new FieldReader(file, problems);
            var spec = ReadLab(document.RootElement, fields);

            if (problems.Count > 0 || spec is null)
            {
                return LabSpecResult.Invalid(problems);
            }

            problems.AddRange(LabSpecValidator.Validate(file, spec, budget));
            return problems.Count > 0 ? LabSpecResult.Invalid(problems) : LabSpecResult.Valid(spec);
        }
    }

    private static LabSpec? ReadLab(JsonElement root, FieldReader fields)
    {
        if (!fields.IsObject(root, "$"))
        {
            return null;
        }

        var baseImage = fields.String(root, "$", "base_image");
        var sshUser = fields.String(root, "$", "ssh_user");
        var sshPassword = fields.OptionalString(root, "$", "ssh_password");
        var clusters = fields.Array(root, "$", "clusters", ReadCluster);

        return baseImage is null || sshUser is null || clusters is null
            ? null
            : new LabSpec(baseImage, sshUser, sshPassword is null ? null : new SshPassword(sshPassword), clusters);
    }

    private static ClusterSpec? ReadCluster(JsonElement element, string path, FieldReader fields)
    {
        if (!fields.IsObject(element, path))
        {
            return null;
        }

        var name = fields.String(element, path, "name");
        var podCidr = fields.String(element, path, "pod_cidr");
        var serviceCidr = fields.String(element, path, "service_cidr");
        var nodes = fields.Array(element, path, "nodes", ReadNode);

        return name is null || podCidr is null || serviceCidr is null || nodes is null
            ? null
            : new ClusterSpec(name, podCidr, serviceCidr, nodes);
    }

    private static NodeSpec? ReadNode(JsonElement element, string path, FieldReader fields)
    {
        if (!fields.IsObject(element, path))
        {
            return null;
        }

        var name = fields.String(element, path, "name");
        var role = fields.String(element, path, "role");
        var cpu = fields.Integer(element, path, "cpu");
        var memory = fields.Integer(element, path, "memory");
        var disk = fields.Integer(element, path, "disk");

        NodeRole? parsedRole = role switch
        {
            null => null,
            "master" => NodeRole.Master,
            "worker" => NodeRole.Worker,
            _ => fields.Report<NodeRole?>($"{path}.role", $"The role '{role}' is not a node role.",
                "Use \"master\" (the control plane, exactly one per cluster) or \"worker\"."),
        };

        return name is null || parsedRole is null || cpu is null || memory is null || disk is null
            ? null
            : new NodeSpec(name, parsedRole.Value, cpu.Value, memory.Value, disk.Value);
    }
}
