namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The shapes of the built-in kinds, with the merge keys and patch strategies of the real Go types
/// (<c>k8s.io/api</c>). Subtrees the lab never edits field by field (probes, affinity, security contexts, volume
/// sources) are <see cref="SchemaType.Any"/>: accepted as written, so a valid manifest is never rejected.
/// </summary>
public static class BuiltInSchemas
{
    private static readonly SchemaNode Str = new(SchemaType.String);
    private static readonly SchemaNode Int = new(SchemaType.Integer);
    private static readonly SchemaNode Bool = new(SchemaType.Boolean);
    private static readonly SchemaNode IntOrStr = new(SchemaType.IntOrString);
    private static readonly SchemaNode Any = new(SchemaType.Any);
    private static readonly SchemaNode StrMap = new(SchemaType.Map) { Items = Str };
    private static readonly SchemaNode AnyMap = new(SchemaType.Map) { Items = IntOrStr };
    private static readonly SchemaNode StrList = List(Str);
    private static readonly SchemaNode AnyList = List(Any);

    private static SchemaNode Obj(params (string Name, SchemaNode Schema)[] properties) =>
        new(SchemaType.Object) { Properties = properties.ToDictionary(p => p.Name, p => p.Schema, StringComparer.Ordinal) };

    private static SchemaNode List(SchemaNode items) => new(SchemaType.Array) { Items = items };

    private static SchemaNode MergeList(SchemaNode items, string key, string strategy = "merge") =>
        new(SchemaType.Array) { Items = items, PatchMergeKey = key, PatchStrategy = strategy };

    /// <summary>An element we only know by its merge key; the rest of it is accepted as written.</summary>
    private static SchemaNode Keyed(string key) =>
        new(SchemaType.Object) { Properties = new Dictionary<string, SchemaNode> { [key] = Str }, PreserveUnknownFields = true };

    public static readonly SchemaNode ObjectMeta = Obj(
        ("name", Str), ("generateName", Str), ("namespace", Str), ("selfLink", Str), ("uid", Str),
        ("resourceVersion", Str), ("generation", Int), ("creationTimestamp", Str), ("deletionTimestamp", Str),
        ("deletionGracePeriodSeconds", Int), ("labels", StrMap), ("annotations", StrMap),
        ("ownerReferences", MergeList(Obj(("apiVersion", Str), ("kind", Str), ("name", Str), ("uid", Str),
            ("controller", Bool), ("blockOwnerDeletion", Bool)), "uid")),
        ("finalizers", new SchemaNode(SchemaType.Array) { Items = Str, PatchStrategy = "merge" }),
        ("managedFields", AnyList));

    public static readonly SchemaNode LabelSelector = Obj(("matchLabels", StrMap), ("matchExpressions", AnyList));

    public static readonly SchemaNode Container = Obj(
        ("name", Str), ("image", Str), ("command", StrList), ("args", StrList), ("workingDir", Str),
        ("ports", MergeList(Obj(("name", Str), ("hostPort", Int), ("containerPort", Int), ("protocol", Str), ("hostIP", Str)), "containerPort")),
        ("envFrom", AnyList),
        ("env", MergeList(Obj(("name", Str), ("value", Str), ("valueFrom", Any)), "name")),
        ("resources", Obj(("limits", AnyMap), ("requests", AnyMap), ("claims", AnyList))),
        ("resizePolicy", AnyList), ("restartPolicy", Str),
        ("volumeMounts", MergeList(Obj(("name", Str), ("readOnly", Bool), ("recursiveReadOnly", Str), ("mountPath", Str),
            ("subPath", Str), ("mountPropagation", Str), ("subPathExpr", Str)), "mountPath")),
        ("volumeDevices", MergeList(Keyed("devicePath"), "devicePath")),
        ("livenessProbe", Any), ("readinessProbe", Any), ("startupProbe", Any), ("lifecycle", Any),
        ("terminationMessagePath", Str), ("terminationMessagePolicy", Str), ("imagePullPolicy", Str),
        ("securityContext", Any), ("stdin", Bool), ("stdinOnce", Bool), ("tty", Bool));

    public static readonly SchemaNode PodSpec = Obj(
        ("volumes", MergeList(Keyed("name"), "name", "merge,retainKeys")),
        ("initContainers", MergeList(Container, "name")),
        ("containers", MergeList(Container, "name")),
        ("ephemeralContainers", MergeList(Keyed("name"), "name")),
        ("restartPolicy", Str), ("terminationGracePeriodSeconds", Int), ("activeDeadlineSeconds", Int),
        ("dnsPolicy", Str), ("nodeSelector", StrMap), ("serviceAccountName", Str), ("serviceAccount", Str),
        ("automountServiceAccountToken", Bool), ("nodeName", Str), ("hostNetwork", Bool), ("hostPID", Bool),
        ("hostIPC", Bool), ("shareProcessNamespace", Bool), ("securityContext", Any),
        ("imagePullSecrets", MergeList(Keyed("name"), "name")), ("hostname", Str), ("subdomain", Str),
        ("affinity", Any), ("schedulerName", Str), ("tolerations", AnyList),
        ("hostAliases", MergeList(Keyed("ip"), "ip")), ("priorityClassName", Str), ("priority", Int),
        ("dnsConfig", Any), ("readinessGates", AnyList), ("runtimeClassName", Str), ("enableServiceLinks", Bool),
        ("preemptionPolicy", Str), ("overhead", AnyMap),
        ("topologySpreadConstraints", MergeList(Keyed("topologyKey"), "topologyKey")),
        ("setHostnameAsFQDN", Bool), ("os", Any), ("hostUsers", Bool),
        ("schedulingGates", MergeList(Keyed("name"), "name")), ("resourceClaims", MergeList(Keyed("name"), "name")),
        ("resources", Any));

    public static readonly SchemaNode PodTemplateSpec = Obj(("metadata", ObjectMeta), ("spec", PodSpec));

    private static SchemaNode TopLevel(params (string Name, SchemaNode Schema)[] fields) =>
        Obj([("apiVersion", Str), ("kind", Str), ("metadata", ObjectMeta), .. fields]);

    public static readonly SchemaNode Pod = TopLevel(("spec", PodSpec), ("status", Any));

    public static readonly SchemaNode Deployment = TopLevel(
        ("spec", Obj(("replicas", Int), ("selector", LabelSelector), ("template", PodTemplateSpec),
            ("strategy", new SchemaNode(SchemaType.Object)
            {
                Properties = new Dictionary<string, SchemaNode> { ["type"] = Str, ["rollingUpdate"] = Obj(("maxUnavailable", IntOrStr), ("maxSurge", IntOrStr)) },
            }),
            ("minReadySeconds", Int), ("revisionHistoryLimit", Int), ("paused", Bool), ("progressDeadlineSeconds", Int))),
        ("status", Any));

    public static readonly SchemaNode ReplicaSet = TopLevel(
        ("spec", Obj(("replicas", Int), ("minReadySeconds", Int), ("selector", LabelSelector), ("template", PodTemplateSpec))),
        ("status", Any));

    public static readonly SchemaNode DaemonSet = TopLevel(
        ("spec", Obj(("selector", LabelSelector), ("template", PodTemplateSpec), ("updateStrategy", Any),
            ("minReadySeconds", Int), ("revisionHistoryLimit", Int))),
        ("status", Any));

    public static readonly SchemaNode StatefulSet = TopLevel(
        ("spec", Obj(("replicas", Int), ("selector", LabelSelector), ("template", PodTemplateSpec),
            ("volumeClaimTemplates", AnyList), ("serviceName", Str), ("podManagementPolicy", Str), ("updateStrategy", Any),
            ("revisionHistoryLimit", Int), ("minReadySeconds", Int), ("persistentVolumeClaimRetentionPolicy", Any), ("ordinals", Any))),
        ("status", Any));

    public static readonly SchemaNode Service = TopLevel(
        ("spec", Obj(
            ("ports", MergeList(Obj(("name", Str), ("protocol", Str), ("appProtocol", Str), ("port", Int),
                ("targetPort", IntOrStr), ("nodePort", Int)), "port")),
            ("selector", StrMap), ("clusterIP", Str), ("clusterIPs", StrList), ("type", Str), ("externalIPs", StrList),
            ("sessionAffinity", Str), ("loadBalancerIP", Str), ("loadBalancerSourceRanges", StrList), ("externalName", Str),
            ("externalTrafficPolicy", Str), ("healthCheckNodePort", Int), ("publishNotReadyAddresses", Bool),
            ("sessionAffinityConfig", Any), ("ipFamilies", StrList), ("ipFamilyPolicy", Str),
            ("allocateLoadBalancerNodePorts", Bool), ("loadBalancerClass", Str), ("internalTrafficPolicy", Str),
            ("trafficDistribution", Str))),
        ("status", Any));

    public static readonly SchemaNode ConfigMap = TopLevel(("data", StrMap), ("binaryData", StrMap), ("immutable", Bool));

    public static readonly SchemaNode Secret = TopLevel(("data", StrMap), ("stringData", StrMap), ("type", Str), ("immutable", Bool));

    public static readonly SchemaNode Namespace = TopLevel(("spec", Obj(("finalizers", StrList))), ("status", Any));

    public static readonly SchemaNode Node = TopLevel(("spec", Any), ("status", Any));

    public static readonly SchemaNode ServiceAccount = TopLevel(
        ("secrets", MergeList(Keyed("name"), "name")), ("imagePullSecrets", AnyList), ("automountServiceAccountToken", Bool));

    public static readonly SchemaNode Endpoints = TopLevel(("subsets", AnyList));

    public static readonly SchemaNode CustomResourceDefinition = TopLevel(
        ("spec", Obj(("group", Str), ("names", Any), ("scope", Str), ("versions", AnyList), ("conversion", Any),
            ("preserveUnknownFields", Bool))),
        ("status", Any));

    /// <summary>Kinds whose body we do not model beyond metadata: everything else is kept as written.</summary>
    public static readonly SchemaNode Loose = new(SchemaType.Object)
    {
        Properties = new Dictionary<string, SchemaNode> { ["apiVersion"] = Str, ["kind"] = Str, ["metadata"] = ObjectMeta },
        PreserveUnknownFields = true,
    };

    /// <summary>A custom resource: the CRD's openAPIV3Schema, with metadata and the type fields always known.</summary>
    public static SchemaNode ForCustomResource(SchemaNode? crdSchema)
    {
        if (crdSchema is not { Type: SchemaType.Object, Properties: not null })
        {
            return Loose;
        }

        var properties = new Dictionary<string, SchemaNode>(crdSchema.Properties, StringComparer.Ordinal)
        {
            ["apiVersion"] = Str,
            ["kind"] = Str,
            ["metadata"] = ObjectMeta,
        };
        return crdSchema with { Properties = properties };
    }
}
