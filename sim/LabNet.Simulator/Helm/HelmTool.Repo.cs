using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Helm;

/// <summary><c>helm repo add|update|list</c>: the Mac user's repositories, of those the twin serves.</summary>
public sealed partial class HelmTool
{
    private async Task<int> RepoAsync(List<string> args, ToolOutput output)
    {
        switch (args.FirstOrDefault())
        {
            case "add" when args.Count >= 3:
            {
                var (name, url) = (args[1], HelmRepositories.Normalize(args[2]));
                if (!PublishedCharts.ByRepository.ContainsKey(url))
                {
                    return Fail(output, $"Error: looks like \"{args[2]}\" is not a valid chart repository or cannot be reached: failed to fetch {url}/index.yaml : 404 Not Found");
                }

                if (repositories.UrlOf(name) is { } existing)
                {
                    if (existing == url)
                    {
                        output.Out.WriteLine($"\"{name}\" already exists with the same configuration, skipping");
                        return 0;
                    }

                    return Fail(output, $"Error: repository name ({name}) already exists, please specify a different name");
                }

                await clock.Elapse(durations.Value.HelmRepoUpdate, CancellationToken.None);
                repositories.Set(name, url);
                output.Out.WriteLine($"\"{name}\" has been added to your repositories");
                return 0;
            }

            case "update" or "up":
            {
                var all = repositories.All;
                if (all.Count == 0)
                {
                    return Fail(output, "Error: no repositories found. You must add one before updating");
                }

                output.Out.WriteLine("Hang tight while we grab the latest from your chart repositories...");
                await clock.Elapse(durations.Value.HelmRepoUpdate, CancellationToken.None);
                foreach (var (name, _) in all.Where(r => args.Count < 2 || args.Skip(1).Contains(r.Name)))
                {
                    output.Out.WriteLine($"...Successfully got an update from the \"{name}\" chart repository");
                }

                output.Out.WriteLine("Update Complete. ⎈Happy Helming!⎈");
                return 0;
            }

            case "list" or "ls":
            {
                var all = repositories.All;
                if (all.Count == 0)
                {
                    return Fail(output, "Error: no repositories to show");
                }

                var width = Math.Max(4, all.Max(r => r.Name.Length));
                output.Out.WriteLine($"{"NAME".PadRight(width)}\tURL");
                foreach (var (name, url) in all)
                {
                    output.Out.WriteLine($"{name.PadRight(width)}\t{url}");
                }

                return 0;
            }

            default:
                return Fail(output, "Error: the twin's helm repo supports add NAME URL, update and list");
        }
    }

    /// <summary>The cluster the kubeconfig names, or the error Helm prints for it.</summary>
}
