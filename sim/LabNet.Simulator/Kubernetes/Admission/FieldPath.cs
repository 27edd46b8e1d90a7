namespace LabNet.Simulator.Kubernetes;

/// <summary>Field paths as apimachinery prints them: <c>spec.traffic.steps[2]</c>; the root itself prints <c>&lt;nil&gt;</c>.</summary>
public static class FieldPath
{
    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public static string Show(string path) => path.Length == 0 ? "<nil>" : path;
}
