using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using LabNet.FlowCollector.Query;
using LabNet.FlowCollector.Relay;
using LabNet.FlowCollector.Traffic;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace LabNet.FlowCollector;

/// <summary>Registers the collector's services and endpoints.</summary>
public static class FlowCollectorServiceExtensions
{
    public static WebApplicationBuilder AddFlowCollector(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FlowCollectorOptions>()
            .Bind(builder.Configuration.GetSection(FlowCollectorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FlowCollectorOptions>, FlowCollectorOptionsValidator>();

        builder.Services.AddSingleton(sp => new FlowAggregator(sp.GetRequiredService<IOptions<FlowCollectorOptions>>().Value.MaxMetricContexts));
        builder.Services.AddSingleton<HubbleMetrics>();
        builder.Services.AddSingleton(sp => new TrafficRecorder(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new FlowRingBuffer(sp.GetRequiredService<IOptions<FlowCollectorOptions>>().Value.FlowBufferCapacity));
        builder.Services.AddSingleton(sp => new HttpFlowSpans(sp.GetRequiredService<IOptions<FlowCollectorOptions>>().Value.HttpSpanSampleOneIn));
        builder.Services.AddSingleton(sp => new FlowPipeline(
            sp.GetRequiredService<HubbleMetrics>(),
            sp.GetRequiredService<TrafficRecorder>(),
            sp.GetRequiredService<FlowRingBuffer>(),
            sp.GetRequiredService<HttpFlowSpans>()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RelaySources>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RelaySources>());

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // The aggregator bounds contexts itself; the SDK's default limit (2000 series per metric) would cut in first.
            // The SDK preallocates its points, so the limit is sized, not unbounded.
            .AddView(instrument => instrument.Meter.Name == HubbleMetrics.MeterName
                ? new MetricStreamConfiguration { CardinalityLimit = 20_000 }
                : null)
            .AddPrometheusExporter());

        return builder;
    }

    public static WebApplication MapFlowCollector(this WebApplication app)
    {
        // Prometheus text at /metrics: hubble_flows_processed_total, hubble_drop_total, ...
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/api/sources", (RelaySources relays, FlowAggregator aggregator) => new SourcesStatus(
            relays.Statuses(),
            aggregator.Flows,
            aggregator.MalformedLines,
            aggregator.UndecodableFlows,
            aggregator.LostEvents,
            aggregator.OverflowFlows));
        app.MapTrafficSummary();
        app.MapFlowQuery();
        return app;
    }
}
