using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Core.Diagnosis;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ComplaintDiagnostics.Api.Hosting;

/// <summary>
/// Metrics and traces the ecosystem's way, through the OpenTelemetry SDK: the service's meter (diagnoses by cause,
/// rule errors, reloads, time-budget 503s, the serving rules version as an info gauge), ASP.NET Core's own request
/// metrics and the runtime's, exposed as Prometheus text at <c>/metrics</c>; and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the same metrics and a span per request and per diagnosis over OTLP.
/// Without an OTLP endpoint no span is recorded at all, so tracing costs nothing when nobody collects it.
/// </summary>
/// <remarks>The OpenTelemetry Prometheus exporter (a beta package) rather than prometheus-net: the instruments stay
/// <c>System.Diagnostics.Metrics</c>, one SDK feeds both Prometheus and OTLP, and ASP.NET Core's built-in meters come
/// along without a second metrics library. Its exposition is plain Prometheus text, which is what a scraper sees.</remarks>
internal static class Telemetry
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Meters enabled by ASP.NET Core's instrumentation whose streams are dropped (see <see cref="AddTelemetry"/>).</summary>
    internal static readonly IReadOnlySet<string> DroppedMeters = new HashSet<string>(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.MemoryPool",
        "Microsoft.AspNetCore.Routing",
    };

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "complaint-diagnostics"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DiagnosisMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    // Two of ASP.NET Core's meters record on every request and tell an operator of this service
                    // nothing the request histogram does not: Kestrel's buffer pool (a measurement per block rented
                    // and returned) and routing's match attempts (one endpoint per path here). Dropped streams are
                    // not listened to, so their instruments stay disabled and cost nothing (docs/performance.md).
                    .AddView(instrument => DroppedMeters.Contains(instrument.Meter.Name) ? MetricStreamConfiguration.Drop : null)
                    .AddRuntimeInstrumentation()
                    // Every scrape sees the counts of that moment (the default caches a scrape for 300 ms).
                    .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            builder.WithTracing(tracing => tracing
                .AddSource(DiagnosisTelemetry.SourceName)
                // Probes and scrapes every few seconds are not worth a span each.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz")
                    && !context.Request.Path.StartsWithSegments(MetricsPath))
                .AddOtlpExporter());
        }
        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
