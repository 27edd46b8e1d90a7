namespace LabNet.Simulator.Kubernetes;

/// <summary>One REST resource the API serves, as discovery describes it (e.g. <c>deployments.apps/v1</c>).</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="PrinterColumns">The Table columns <c>kubectl get</c> shows (built-in or a CRD's additionalPrinterColumns).</param>
/// <param name="Schema">The shape of the object (fields, merge keys) used for field validation, pruning and strategic merge patch; null means anything is accepted.</param>
/// <param name="FieldSelectors">Field labels this resource can be selected by, beyond <c>metadata.name</c> and <c>metadata.namespace</c>.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    bool HasStatusSubresource,
    bool HasScaleSubresource,
    bool TracksGeneration,
    bool IsBuiltIn,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    SchemaNode? Schema,
    IReadOnlyList<string> FieldSelectors)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>The storage identity: one object set per group and resource, whichever version it is read through.</summary>
    public string StorageKey => $"{Plural}.{Group}";

    /// <summary>How errors name the resource: <c>deployments.apps</c>, or <c>pods</c> in the core group.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>How Invalid errors name the kind: <c>Deployment.apps</c>, or <c>Pod</c> in the core group.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";

    /// <summary>The extension API server behind an aggregated resource (e.g. metrics.k8s.io); null for the API server's own.</summary>
    public AggregatedApi? Aggregated { get; init; }
}

/// <summary>A Table column: <paramref name="JsonPath"/> is evaluated for CRD columns; built-in columns are computed in code.</summary>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string? JsonPath = null);
