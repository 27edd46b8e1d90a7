using System.Globalization;
using System.Text;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Programs;

/// <summary><c>echo</c> run as a program (<c>kubectl exec POD -- echo hi</c>); in a script the shell's builtin answers.</summary>
public sealed class EchoProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["echo"];

    public async Task<int> RunAsync(ProgramCall call)
    {
        await call.Out.WriteAsync(ShellBuiltins.Echo(call.Args));
        return 0;
    }
}

/// <summary><c>true</c> and <c>false</c> as programs.</summary>
public sealed class TrueFalseProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["true", "false"];

    public Task<int> RunAsync(ProgramCall call) => Task.FromResult(call.Name == "true" ? 0 : 1);
}

/// <summary><c>hostname</c>: the machine's name; <c>-i</c>/<c>-I</c> its address (a VM's name is set with hostnamectl).</summary>
public sealed class HostnameProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["hostname"];

    public async Task<int> RunAsync(ProgramCall call)
    {
        await call.Out.WriteLineAsync(call.Args.Contains("-I") ? (call.Host.Address ?? "") + " "
            : call.Args.Contains("-i") ? call.Host.Address ?? ""
            : call.Host.Hostname);
        return 0;
    }
}

/// <summary><c>env</c> / <c>printenv</c>: the process's environment, one <c>NAME=value</c> a line; <c>printenv NAME...</c> the values.</summary>
public sealed class EnvProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["env", "printenv"];

    public async Task<int> RunAsync(ProgramCall call)
    {
        if (call.Name == "printenv" && call.Args.Count > 0)
        {
            var code = 0;
            foreach (var name in call.Args)
            {
                if (call.Environment.TryGetValue(name, out var value))
                {
                    await call.Out.WriteLineAsync(value);
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

        await call.Out.WriteAsync(text.ToString());
        return 0;
    }
}

/// <summary><c>sleep N...</c> (seconds, with s/m/h/d suffixes, summed; or <c>infinity</c>): lets modeled time pass.</summary>
public sealed class SleepProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["sleep"];

    public async Task<int> RunAsync(ProgramCall call)
    {
        if (call.Args.Count == 0)
        {
            return call.Fail("sleep: missing operand");
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
                return call.Fail(call.Host.BusyBox ? $"sleep: invalid number '{arg}'" : $"sleep: invalid time interval '{arg}'");
            }

            total += duration;
        }

        await call.Elapse(total);
        return 0;
    }

    /// <summary>sleep's operand: a non-negative number with an optional unit suffix.</summary>
    public static TimeSpan? Parse(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
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
