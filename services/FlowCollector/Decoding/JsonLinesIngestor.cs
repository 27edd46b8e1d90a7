using LabNet.FlowCollector.Flows;
using Microsoft.Extensions.Logging;

namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Streams <c>hubble observe -o json</c> lines from a file, directory or stdin into a <see cref="FlowPipeline"/>.
/// A malformed line is counted, logged with its file and line number, and skipped; it never stops the stream.
/// </summary>
public sealed partial class JsonLinesIngestor(FlowPipeline pipeline, ILogger logger)
{
    /// <summary>How many malformed lines a result lists in full (all are counted).</summary>
    public const int MaxListedMalformed = 100;

    public async Task<JsonLinesResult> IngestAsync(Stream input, string name, CancellationToken cancellationToken)
    {
        var decoder = new HubbleJsonDecoder();
        var flow = new FlowRecord();
        var clusters = new ClusterResolver();
        var malformed = new List<MalformedLine>();
        long flows = 0, lost = 0, other = 0, malformedCount = 0;

        void Malformed(long lineNumber, string error)
        {
            malformedCount++;
            pipeline.CountMalformedLine();
            LogMalformedLine(logger, name, lineNumber, error);
            if (malformed.Count < MaxListedMalformed)
            {
                malformed.Add(new MalformedLine(name, lineNumber, error));
            }
        }

        var lines = await Utf8LineReader.ReadAllAsync(
            input,
            (line, lineNumber) =>
            {
                switch (decoder.Decode(line, flow, out var lostEvents, out var error))
                {
                    case HubbleEventKind.Flow:
                        flows++;
                        pipeline.Process(flow, clusters.Resolve(flow));
                        break;
                    case HubbleEventKind.LostEvents:
                        lost++;
                        pipeline.ProcessLostEvents(lostEvents);
                        break;
                    case HubbleEventKind.OtherEvent:
                        other++;
                        break;
                    case HubbleEventKind.Malformed:
                        Malformed(lineNumber, error ?? "not a Hubble event");
                        break;
                }
            },
            lineNumber => Malformed(lineNumber, $"line longer than {Utf8LineReader.MaxLineBytes} bytes"),
            cancellationToken).ConfigureAwait(false);

        return new JsonLinesResult(lines, flows, lost, other, malformedCount, malformed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}:{Line}: skipped a line that is not a Hubble event: {Error}")]
    private static partial void LogMalformedLine(ILogger logger, string file, long line, string error);
}
