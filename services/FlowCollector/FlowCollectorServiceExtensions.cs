using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
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

        builder.Services.AddSingleton(sp => new FlowAggregator(sp.GetRequiredService<IOptions<FlowCollectorOptions>>().Value.MaxMetricContexts));
        builder.Services.AddSingleton<HubbleMetrics>();
        builder.Services.AddSingleton<FlowPipeline>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // The aggregator bounds contexts itself; the SDK's own limit (2000 per metric) must not cut in first.
            .AddView(instrument => instrument.Meter.Name == HubbleMetrics.MeterName
                ? new MetricStreamConfiguration { CardinalityLimit = 100_000 }
                : null)
            .AddPrometheusExporter());

        return builder;
    }

    public static WebApplication MapFlowCollector(this WebApplication app)
    {
        // Prometheus text at /metrics: hubble_flows_processed_total, hubble_drop_total, ...
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
