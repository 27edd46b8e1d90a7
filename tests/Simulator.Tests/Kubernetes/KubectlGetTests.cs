using System.Text.RegularExpressions;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The real kubectl reading a simulated cluster: the columns and values it shows against a real one.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlGetTests(SimulatorServer server)
{
    [Fact]
    public async Task Get_nodes_wide_shows_status_roles_version_and_addresses()
    {
        var cluster = server.CreateCluster();

        var result = await cluster.Kubectl.RunAsync("get", "nodes", "-o", "wide");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$", lines[0]);
        Assert.Matches(@"^c\d+-master\s+Ready\s+control-plane\s+\d+s\s+v1\.31\.14\s+192\.168\.65\.10\s+<none>\s+Ubuntu 24\.04\.1 LTS\s+6\.8\.0-49-generic\s+containerd://1\.7\.24$", lines[1]);
        Assert.Matches(@"^c\d+-worker1\s+Ready\s+<none>\s+\d+s\s+v1\.31\.14\s+192\.168\.65\.11\s", lines[2]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task Nodes_without_a_cni_show_NotReady_and_their_pods_stay_ContainerCreating_without_an_ip()
    {
        var cluster = server.CreateCluster(withPodNetwork: false);
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/")).ExitCode);

        var pods = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web", "-o", "wide"),
            r => Regex.Matches(r.Stdout, "ContainerCreating").Count == 3);

        Assert.Equal(3, Regex.Matches(pods.Stdout, @"nginx-web-[a-z0-9]+-[a-z0-9]{5}\s+0/1\s+ContainerCreating\s+0\s+\d+s\s+<none>\s+c\d+-worker\d").Count);

        cluster.Api.PodNetwork = new SequentialPodNetwork();
        var running = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web", "-o", "wide"),
            r => Regex.Matches(r.Stdout, "Running").Count == 3);
        Assert.Equal(3, Regex.Matches(running.Stdout, @"1/1\s+Running\s+0\s+\d+s\s+10\.20\.1\.\d+\s+c\d+-worker\d").Count);
    }

    [Fact]
    public async Task Pods_are_not_scheduled_while_every_node_is_NotReady()
    {
        var cluster = server.CreateCluster(withPodNetwork: false, nodesReady: false);
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/20-nginx.yaml")).ExitCode);

        var nodes = await cluster.Kubectl.RunAsync("get", "nodes");
        Assert.Equal(3, Regex.Matches(nodes.Stdout, @"\sNotReady\s").Count);
        var pods = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={.items[*].status.conditions[0].reason}"),
            r => Regex.Matches(r.Stdout, "Unschedulable").Count == 3);
        Assert.Equal("Unschedulable Unschedulable Unschedulable", pods.Stdout.Trim());
        var wide = await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "wide");
        Assert.Equal(3, Regex.Matches(wide.Stdout, @"0/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>").Count);
    }

    [Fact]
    public async Task Services_get_cluster_ips_from_the_service_cidr_and_the_kubernetes_service_has_the_first()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/")).ExitCode);

        var result = await cluster.Kubectl.RunAsync("get", "svc", "-A");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE", result.Stdout);
        Assert.Matches(@"default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443/TCP", result.Stdout);
        Assert.Matches(@"demo\s+httpbin\s+ClusterIP\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+\s+<none>\s+80/TCP", result.Stdout);
        Assert.Matches(@"demo\s+nginx-web\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080/TCP", result.Stdout);
    }

    [Fact]
    public async Task Get_pods_with_jsonpath_prints_the_pod_ips()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/")).ExitCode);

        var result = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.podIP}{\"\\n\"}{end}"),
            r => Regex.Matches(r.Stdout, @"=10\.20\.1\.\d+").Count == 6);

        Assert.Equal(6, Regex.Matches(result.Stdout, @"^(httpbin-v[12]|nginx-web)-[a-z0-9]+-[a-z0-9]{5}=10\.20\.1\.\d+$", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task Api_resources_lists_built_in_and_custom_resources_with_short_names()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml")).ExitCode);

        var result = await cluster.Kubectl.RunAsync("api-resources");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND", result.Stdout);
        Assert.Matches(@"\npods\s+po\s+v1\s+true\s+Pod\n", result.Stdout);
        Assert.Matches(@"\ndeployments\s+deploy\s+apps/v1\s+true\s+Deployment\n", result.Stdout);
        Assert.Matches(@"\ncustomresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io/v1\s+false\s+CustomResourceDefinition\n", result.Stdout);
        Assert.Matches(@"\nciliumnetworkpolicies\s+cnp,ciliumnp\s+cilium\.io/v2\s+true\s+CiliumNetworkPolicy\n", result.Stdout);
        Assert.Matches(@"\nvirtualservices\s+vs\s+networking\.istio\.io/v1\s+true\s+VirtualService\n", result.Stdout);
        Assert.Matches(@"\ndestinationrules\s+dr\s+networking\.istio\.io/v1\s+true\s+DestinationRule\n", result.Stdout);
    }

    [Fact]
    public async Task Get_crd_lists_the_definitions_with_their_creation_time()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml")).ExitCode);

        var result = await cluster.Kubectl.RunAsync("get", "crd");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+CREATED AT$", lines[0]);
        Assert.Matches(@"^ciliumnetworkpolicies\.cilium\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[1]);
        Assert.Matches(@"^destinationrules\.networking\.istio\.io\s+", lines[2]);
        Assert.Matches(@"^virtualservices\.networking\.istio\.io\s+", lines[3]);
    }

    [Fact]
    public async Task Getting_a_missing_object_fails_with_NotFound()
    {
        var cluster = server.CreateCluster();

        var result = await cluster.Kubectl.RunAsync("get", "pod", "nope", "-n", "default");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): pods \"nope\" not found", result.Stderr.Trim());
    }

    [Fact]
    public async Task Events_tell_what_the_scheduler_kubelet_and_controllers_did()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/00-namespace.yaml", "-f", "demo/20-nginx.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);

        var events = await cluster.Kubectl.RunAsync("get", "events", "-n", "demo");
        var pod = (await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={.items[0].metadata.name}")).Stdout;
        var describe = await cluster.Kubectl.RunAsync("describe", "pod", pod, "-n", "demo");

        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", events.Stdout);
        Assert.Matches(@"\d+s\s+Normal\s+ScalingReplicaSet\s+deployment/nginx-web\s+Scaled up replica set nginx-web-[a-z0-9]+ from 0 to 3", events.Stdout);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+replicaset/nginx-web-[a-z0-9]+\s+Created pod: nginx-web-", events.Stdout);
        Assert.Matches(@"Normal\s+Scheduled\s+pod/nginx-web-[a-z0-9]+-[a-z0-9]{5}\s+Successfully assigned demo/nginx-web-[a-z0-9]+-[a-z0-9]{5} to c\d+-worker\d", events.Stdout);
        Assert.Matches(@"Normal\s+Started\s+pod/nginx-web-[a-z0-9]+-[a-z0-9]{5}\s+Started container nginx", events.Stdout);
        Assert.Matches(@"Normal\s+Scheduled\s+\d+s\s+default-scheduler\s+Successfully assigned demo/" + pod, describe.Stdout);
        Assert.Matches(@"Normal\s+Started\s+\d+s\s+kubelet\s+Started container nginx", describe.Stdout);
    }
}
