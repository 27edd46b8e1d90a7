using System.Diagnostics.Metrics;
using System.Text.Encodings.Web;
using System.Text.Json;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using Microsoft.Extensions.Logging;

namespace LabNet.FlowCollector.Replay;

/// <summary>
/// <c>FlowCollector replay &lt;file|dir|-&gt;</c>: reads a capture taken with <c>hubble observe -o json</c> and prints,
/// as JSON, the totals the collector would export for it. Exit code 0, also when some lines were malformed (they are
/// reported on stderr with file and line and counted); 1 when the input cannot be opened; 2 on a usage error.
/// </summary>
public static class ReplayCommand
{
    public const string Verb = "replay";
    public const string Usage = "usage: FlowCollector replay <file|dir|->   (lines from `hubble observe -o json`, or - for stdin)";

    private static readonly JsonSerializerOptions OutputOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> openStdin, CancellationToken cancellationToken)
    {
        if (args.Length != 2 || args[0] != Verb)
        {
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var (files, error) = ReplayInputs.Resolve(args[1]);
        if (error is not null)
        {
            await stderr.WriteLineAsync($"replay: {error}").ConfigureAwait(false);
            return 1;
        }

        using var meterFactory = new ReplayMeterFactory();
        var aggregator = new FlowAggregator(int.MaxValue);
        var pipeline = new FlowPipeline(new HubbleMetrics(meterFactory, aggregator));
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new StderrLoggerProvider(stderr)));
        var ingestor = new JsonLinesIngestor(pipeline, loggerFactory.CreateLogger("replay"));

        var results = new List<JsonLinesResult>();
        foreach (var file in files)
        {
            Stream stream;
            try
            {
                stream = file == ReplayInputs.StandardInput ? openStdin() : File.OpenRead(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"replay: cannot open '{file}': {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            await using (stream.ConfigureAwait(false))
            {
                var name = file == ReplayInputs.StandardInput ? "<stdin>" : file;
                results.Add(await ingestor.IngestAsync(stream, name, cancellationToken).ConfigureAwait(false));
            }
        }

        var totals = ReplayTotals.From(files, results, aggregator);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(totals, OutputOptions)).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A meter factory for the one-shot replay (no host, no exporter).</summary>
    private sealed class ReplayMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    /// <summary>Writes warnings (the malformed lines) to stderr as <c>replay: file:line: ...</c>.</summary>
    private sealed class StderrLoggerProvider(TextWriter stderr) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StderrLogger(stderr);

        public void Dispose()
        {
        }

        private sealed class StderrLogger(TextWriter stderr) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    stderr.WriteLine($"replay: {formatter(state, exception)}");
                }
            }
        }
    }
}
