using System.Globalization;
using System.Text;

namespace LabNet.Simulator.Pods;

/// <summary><c>echo</c>: arguments joined by spaces; <c>-n</c> drops the newline, <c>-e</c> reads backslash escapes.</summary>
internal sealed class EchoCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["echo"];

    public Task<int> RunAsync(PodCommandCall call) => EchoAsync(call.Args, call.Stdout);

    public static async Task<int> EchoAsync(IReadOnlyList<string> args, TextWriter stdout)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        for (; i < args.Count && args[i] is "-n" or "-e" or "-ne" or "-en" or "-E"; i++)
        {
            newline &= !args[i].Contains('n', StringComparison.Ordinal);
            escapes |= args[i].Contains('e', StringComparison.Ordinal);
        }

        var text = string.Join(' ', args.Skip(i));
        if (escapes)
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal);
        }

        await stdout.WriteAsync(newline ? text + "\n" : text);
        return 0;
    }
}

/// <summary><c>true</c> and <c>false</c>.</summary>
internal sealed class TrueFalseCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["true", "false"];

    public Task<int> RunAsync(PodCommandCall call) => Task.FromResult(call.Name == "true" ? 0 : 1);
}

/// <summary><c>hostname</c>: the pod's name (the node's for host-network pods).</summary>
internal sealed class HostnameCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["hostname"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        await call.Stdout.WriteLineAsync(call.Args is ["-i"] ? call.Process.PodIp ?? "" : call.Process.Hostname);
        return 0;
    }
}

/// <summary><c>env</c> / <c>printenv</c>: the process's environment, one <c>NAME=value</c> a line.</summary>
internal sealed class EnvCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["env", "printenv"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        if (call.Name == "printenv" && call.Args.Count > 0)
        {
            var code = 0;
            foreach (var name in call.Args)
            {
                if (call.Environment.TryGetValue(name, out var value))
                {
                    await call.Stdout.WriteLineAsync(value);
                }
                else
                {
                    code = 1;
                }
            }

            return code;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in call.Environment)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        await call.Stdout.WriteAsync(text.ToString());
        return 0;
    }
}

/// <summary><c>cat</c> of the files a container has (resolv.conf, hosts...), or of stdin.</summary>
internal sealed class CatCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["cat"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        if (call.Args.Count == 0 || call.Args is ["-"])
        {
            await call.Stdout.WriteAsync(call.Stdin);
            return 0;
        }

        var code = 0;
        foreach (var path in call.Args)
        {
            if (ContainerFiles.Read(call.Process, path) is { } content)
            {
                await call.Stdout.WriteAsync(content);
            }
            else
            {
                await call.Stderr.WriteLineAsync($"cat: {(call.Process.Image.Has("ash") ? "can't open '" + path + "'" : path)}: No such file or directory");
                code = 1;
            }
        }

        return code;
    }
}

/// <summary><c>sleep N</c> (seconds, with s/m/h suffixes, or <c>infinity</c>): lets modeled time pass.</summary>
internal sealed class SleepCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["sleep"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        if (call.Args.Count == 0)
        {
            await call.Stderr.WriteLineAsync("sleep: missing operand");
            return 1;
        }

        var total = TimeSpan.Zero;
        foreach (var arg in call.Args)
        {
            if (arg == "infinity")
            {
                await Task.Delay(Timeout.Infinite, call.Cancellation);
                return 0;
            }

            if (Parse(arg) is not { } duration)
            {
                await call.Stderr.WriteLineAsync($"sleep: invalid number '{arg}'");
                return 1;
            }

            total += duration;
        }

        await call.Elapse(total, capped: false);
        return 0;
    }

    public static TimeSpan? Parse(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text.Length > 0 ? text[^1] : ' ') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return null;
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => null,
        };
    }
}
