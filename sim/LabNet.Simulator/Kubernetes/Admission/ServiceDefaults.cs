using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// A Service's defaults and what its registry allocates on write: the ClusterIP (kept across updates, checked against
/// the service CIDR and the addresses in use), node ports, IP families and traffic policies.
/// </summary>
internal static class ServiceDefaults
{
    public static void Apply(ClusterApi cluster, JsonObject obj, JsonObject? existing)
    {
        var spec = Json.Child(obj, "spec");
        spec["type"] ??= "ClusterIP";
        var serviceType = spec["type"]!.GetValue<string>();
        spec["sessionAffinity"] ??= "None";
        if (serviceType == "ExternalName")
        {
            return;
        }

        if (existing?["spec"] is JsonObject old)
        {
            // Like the real registry: an update that leaves the allocated values out keeps them.
            spec["clusterIP"] ??= old["clusterIP"]?.DeepClone();
            spec["clusterIPs"] ??= old["clusterIPs"]?.DeepClone();
        }

        var (services, _) = cluster.Store.List(cluster.Catalog.FindByPlural("", "v1", "services")!.StorageKey, null);
        var others = services.Where(s => !ReferenceEquals(s, existing)).ToList();
        var requested = spec["clusterIP"]?.GetValue<string>();
        if (string.IsNullOrEmpty(requested))
        {
            requested = cluster.Addresses.AllocateClusterIp(ServiceAddressAllocator.ClusterIpsInUse(others));
        }
        else if (requested != "None" && existing?["spec"]?["clusterIP"]?.GetValue<string>() != requested)
        {
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            var type = cluster.Catalog.FindByPlural("", "v1", "services")!;
            if (!cluster.Addresses.Contains(requested))
            {
                throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("spec.clusterIPs", $"[]string{{\"{requested}\"}}",
                    $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {cluster.Bootstrap.ServiceCidr}"));
            }

            if (ServiceAddressAllocator.ClusterIpsInUse(others).Contains(requested))
            {
                throw KubernetesApiException.Invalid(type, name, FieldError.InvalidValue("spec.clusterIPs", $"[]string{{\"{requested}\"}}",
                    $"failed to allocate IP {requested}: provided IP is already allocated"));
            }
        }

        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
        if (requested != "None")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
        }

        spec["internalTrafficPolicy"] ??= "Cluster";
        if (serviceType is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        if (serviceType == "LoadBalancer")
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }

        var nodePortsInUse = ServiceAddressAllocator.NodePortsInUse(others);
        var oldPorts = existing?["spec"]?["ports"] as JsonArray;
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (serviceType is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                var previous = oldPorts?.OfType<JsonObject>().FirstOrDefault(p => JsonNode.DeepEquals(p["port"], port["port"]))?["nodePort"];
                var nodePort = previous is null ? cluster.Addresses.AllocateNodePort(nodePortsInUse) : ObjectFacts.Int(previous);
                nodePortsInUse.Add(nodePort);
                port["nodePort"] = nodePort;
            }
        }

        if (existing is null)
        {
            Json.Child(obj, "status")["loadBalancer"] ??= new JsonObject();
        }
    }
}
