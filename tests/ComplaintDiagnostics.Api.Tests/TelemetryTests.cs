using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Tests that read the process's meters. A meter is found by name process-wide, so a service started by a
/// test running in parallel would count into the same series: these run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMeters
{
    public const string Name = "Process-wide meters";
}

/// <summary>/metrics in the Prometheus text format (the OpenTelemetry exporter), and spans over OTLP to a collector
/// stand-in: a real HTTP listener receiving what the OTLP exporter sends.</summary>
[Collection(ProcessMeters.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task MetricsArePrometheusTextWithDiagnosesByCauseRequestsAndTheServingVersion()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var before = await client.ScrapeAsync();
        var answer = await client.DiagnoseAsync(Complaint.Data("dataFeatureEnabled=false"));

        var after = await client.ScrapeAsync();

        static double Count(PrometheusScrape m) => m.Sum("complaintdiagnostics_diagnoses_total", "cause=\"DATA_FEATURE_DISABLED\"", "status=\"diagnosed\"");
        Assert.Equal(Count(before) + 1, Count(after));
        Assert.Equal(1, after.Sum("complaintdiagnostics_reloads_total", "result=\"accepted\""));
        Assert.Equal(1, after.Sum("complaintdiagnostics_rules_info", $"rules_version=\"{answer.RulesVersion}\""));
        Assert.Equal(0, after.Sum("complaintdiagnostics_rules_serving_last_good_copy"));
        // ASP.NET Core's own request metrics, by route and status.
        Assert.True(after.Sum("http_server_request_duration_seconds_count", "http_route=\"/api/v1/diagnose/\"", "http_response_status_code=\"200\"") >= 1);
        Assert.Contains("# TYPE complaintdiagnostics_diagnoses_total counter", after.Text, StringComparison.Ordinal);
        // Per-request meters with nothing for an operator here are dropped, so they cost a request nothing.
        Assert.DoesNotContain("aspnetcore_routing_", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_memory_pool_", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnOtlpEndpointSpansArriveWithTheRulesVersionAndNoPersonalData()
    {
        using var collector = new OtlpStandIn();
        using var factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        var client = factory.CreateClient();

        var answer = await client.DiagnoseAsync(Complaint.Data("ticketId=\"T-otlp\"; inArrears=true; customer.msisdn=\"13812345678\""));

        await HttpClientExtensions.Eventually(() => Task.FromResult(collector.Received("/v1/traces", "complaintdiagnostics.matched_rule")),
            TimeSpan.FromSeconds(20), "a span reaches the collector");
        var spans = collector.Bodies("/v1/traces");
        Assert.Contains(spans, b => b.Contains("diagnose", StringComparison.Ordinal) && b.Contains(answer.RulesVersion, StringComparison.Ordinal)
            && b.Contains("D1_AccountInArrears", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, b => b.Contains("13812345678", StringComparison.Ordinal));
        await HttpClientExtensions.Eventually(() => Task.FromResult(collector.Received("/v1/metrics", "complaintdiagnostics.diagnoses")),
            TimeSpan.FromSeconds(20), "metrics reach the collector");
    }

    /// <summary>An OTLP/HTTP receiver: answers 200 to every export and keeps the bodies (protobuf, whose strings are UTF-8 as written).</summary>
    private sealed class OtlpStandIn : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

        public OtlpStandIn()
        {
            Url = $"http://127.0.0.1:{Loopback.FreePort()}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    _received.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public IReadOnlyList<string> Bodies(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Body)];

        public bool Received(string path, string text) => Bodies(path).Any(b => b.Contains(text, StringComparison.Ordinal));

        public void Dispose() => _listener.Close();
    }
}
