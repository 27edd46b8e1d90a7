using System.Text.Json.Nodes;
using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Tests.Spec;

public sealed class LabSpecReaderTests
{
    private static readonly HostBudget Mac = new(CpuCount: 16, MemoryMb: 131072, VmNetworkCidr: "192.168.64.0/20");
    private const string File = "clusters.json";

    [Fact]
    public async Task The_original_labs_spec_is_accepted_unchanged()
    {
        var result = await LabSpecReader.ReadFileAsync(RepositoryRoot.Combine("config", "clusters.json"), Mac, CancellationToken.None);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        var spec = result.Spec!;
        Assert.Equal(["platform", "dev", "staging", "prod"], spec.Clusters.Select(c => c.Name));
        Assert.Equal(10, spec.AllNodes.Count());
        Assert.Equal("dev-master", spec.Clusters[1].Master.Name);
        Assert.Equal(["dev-worker1"], spec.Clusters[1].Workers.Select(w => w.Name));
        Assert.Equal(new NodeSpec("platform-worker1", NodeRole.Worker, 3, 12288, 20), spec.Clusters[0].Nodes[1]);
        Assert.Equal("10.20.0.0/16", spec.Clusters[1].PodCidr);
        Assert.Equal("ghcr.io/cirruslabs/ubuntu:latest", spec.BaseImage);
    }

    [Fact]
    public void The_ssh_password_never_prints()
    {
        var spec = LabSpecReader.Read(File, Original().ToJsonString(), Mac).Spec!;

        Assert.Equal("admin", spec.SshPassword!.Reveal());
        Assert.DoesNotContain("ssh_password", spec.ToString());
        Assert.Contains("SshPassword = ***", spec.ToString());
    }

    [Fact]
    public void A_duplicate_node_name_is_reported_at_the_second_occurrence()
    {
        var json = Original();
        json["clusters"]![1]!["nodes"]![1]!["name"] = "platform-worker1";

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[1].nodes[1].name", problem.JsonPath);
        Assert.Contains("'platform-worker1' is already used at $.clusters[0].nodes[1]", problem.Message);
    }

    [Fact]
    public void Two_masters_in_one_cluster_are_reported()
    {
        var json = Original();
        json["clusters"]![0]!["nodes"]![2]!["role"] = "master";

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[0].nodes[2].role", problem.JsonPath);
        Assert.Contains("2 masters (platform-master, platform-worker2)", problem.Message);
    }

    [Fact]
    public void A_cluster_without_master_is_reported()
    {
        var json = Original();
        json["clusters"]![1]!["nodes"]![0]!["role"] = "worker";

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[1].nodes", problem.JsonPath);
        Assert.Contains("no master", problem.Message);
    }

    [Fact]
    public void A_one_cpu_master_fails_like_kubeadm_preflight_would_but_before_anything_runs()
    {
        var json = Original();
        json["clusters"]![3]!["nodes"]![0]!["cpu"] = 1;

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[3].nodes[0].cpu", problem.JsonPath);
        Assert.Contains("prod-master", problem.Message);
        Assert.Contains("at least 2", problem.Message);
        Assert.Contains("\"cpu\": 2", problem.Fix);
    }

    [Fact]
    public void A_one_cpu_worker_is_fine()
    {
        var json = Original();
        json["clusters"]![1]!["nodes"]![1]!["cpu"] = 1;

        Assert.Empty(Read(json));
    }

    [Fact]
    public void Overlapping_pod_cidrs_name_both_places()
    {
        var json = Original();
        json["clusters"]![2]!["pod_cidr"] = "10.20.128.0/17";

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[2].pod_cidr", problem.JsonPath);
        Assert.Contains("10.20.0.0/16 at $.clusters[1].pod_cidr", problem.Message);
    }

    [Fact]
    public void A_pod_cidr_inside_a_service_cidr_or_the_vm_network_is_reported()
    {
        var json = Original();
        json["clusters"]![0]!["pod_cidr"] = "10.97.0.0/16";
        json["clusters"]![3]!["service_cidr"] = "192.168.65.0/24";

        var problems = Read(json);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.JsonPath == "$.clusters[1].service_cidr" && p.Message.Contains("$.clusters[0].pod_cidr"));
        Assert.Contains(problems, p => p.JsonPath == "$.clusters[3].service_cidr" && p.Message.Contains("VM network"));
    }

    [Theory]
    [InlineData("10.20.0.1/16", "bits set beyond the /16 prefix")]
    [InlineData("10.20.0.0", "prefix length (/N) is missing")]
    [InlineData("10.300.0.0/16", "not an IPv4 address")]
    [InlineData("10.20.0.0/33", "not a prefix length")]
    [InlineData("10.20.0.0/25", "smaller than one node's /24")]
    public void A_malformed_pod_cidr_says_what_is_wrong(string cidr, string expected)
    {
        var json = Original();
        json["clusters"]![1]!["pod_cidr"] = cidr;

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[1].pod_cidr", problem.JsonPath);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void A_service_cidr_larger_than_the_apiserver_accepts_is_reported()
    {
        var json = Original();
        json["clusters"]![0]!["service_cidr"] = "172.0.0.0/11";

        var problem = Assert.Single(Read(json));

        Assert.Equal("$.clusters[0].service_cidr", problem.JsonPath);
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once_with_its_path()
    {
        var json = Original();
        json["clusters"]![0]!["nodes"]![0]!.AsObject().Remove("memory");
        json["clusters"]![2]!.AsObject().Remove("service_cidr");
        json.Remove("ssh_user");

        var problems = Read(json);

        Assert.Equal(
            ["$.clusters[0].nodes[0].memory", "$.clusters[2].service_cidr", "$.ssh_user"],
            problems.Select(p => p.JsonPath).Order());
        Assert.All(problems, p => Assert.Contains("is missing", p.Message));
    }

    [Fact]
    public void Wrong_types_and_roles_are_reported()
    {
        var json = Original();
        json["clusters"]![1]!["nodes"]![1]!["cpu"] = "2";
        json["clusters"]![1]!["nodes"]![1]!["role"] = "control-plane";

        var problems = Read(json);

        Assert.Contains(problems, p => p.JsonPath == "$.clusters[1].nodes[1].cpu" && p.Message.Contains("whole number"));
        Assert.Contains(problems, p => p.JsonPath == "$.clusters[1].nodes[1].role" && p.Message.Contains("'control-plane'"));
    }

    [Fact]
    public void Non_positive_resources_are_reported()
    {
        var json = Original();
        json["clusters"]![0]!["nodes"]![1]!["memory"] = 0;
        json["clusters"]![0]!["nodes"]![1]!["disk"] = -5;

        var problems = Read(json);

        Assert.Equal(["$.clusters[0].nodes[1].disk", "$.clusters[0].nodes[1].memory"], problems.Select(p => p.JsonPath).Order());
    }

    [Fact]
    public void Memory_beyond_the_host_budget_is_reported()
    {
        var problems = LabSpecReader.Read(File, Original().ToJsonString(), Mac with { MemoryMb = 65536 }).Problems;

        var problem = Assert.Single(problems);
        Assert.Contains("69632 MB", problem.Message);
        Assert.Contains("65536 MB", problem.Message);
    }

    [Fact]
    public void Malformed_json_gives_the_line()
    {
        var text = Original().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })
            .Replace("\"dev-master\",", "\"dev-master\"");

        var result = LabSpecReader.Read(File, text, Mac);

        var problem = Assert.Single(result.Problems);
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        Assert.Equal(File, problem.File);
        Assert.Matches(@"line \d+", problem.Message);
    }

    [Fact]
    public async Task A_missing_file_is_reported_with_the_setting_to_change()
    {
        var result = await LabSpecReader.ReadFileAsync("/nonexistent/clusters.json", Mac, CancellationToken.None);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("Lab:SpecPath", problem.Fix);
    }

    private static IReadOnlyList<SpecProblem> Read(JsonObject json)
    {
        var result = LabSpecReader.Read(File, json.ToJsonString(), Mac);
        Assert.Equal(result.Problems.Count == 0, result.IsValid);
        return result.Problems;
    }

    private static JsonObject Original() =>
        JsonNode.Parse(System.IO.File.ReadAllText(RepositoryRoot.Combine("config", "clusters.json")))!.AsObject();
}
