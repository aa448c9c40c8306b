using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class MetricsEndpoints
{
    /// <summary>GET /metrics: running totals since start (the same figures are published on the
    /// <c>ComplaintDiagnostics</c> meter for dotnet-counters or an OpenTelemetry exporter).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", GetMetrics)
            .WithName("GetMetrics")
            .WithSummary("Diagnoses by cause, rule errors, reloads and time-outs since start")
            .WithTags("Health");
        return app;
    }

    private static Ok<MetricsView> GetMetrics(DiagnosisMetrics metrics, RuleSetHolder holder) => TypedResults.Ok(new MetricsView(
        holder.Current?.Version,
        new SortedDictionary<string, long>(metrics.DiagnosesByCause.ToDictionary(), StringComparer.Ordinal),
        new SortedDictionary<string, long>(metrics.RuleErrors.ToDictionary(), StringComparer.Ordinal),
        metrics.AcceptedReloads,
        metrics.RefusedReloads,
        metrics.Timeouts,
        holder.ServingLastGoodCopy));
}

/// <param name="RuleErrors">Failed rule evaluations by <c>workflow/rule</c>: a rule that throws for some input.</param>
internal sealed record MetricsView(
    string? ServingVersion,
    IReadOnlyDictionary<string, long> DiagnosesByCause,
    IReadOnlyDictionary<string, long> RuleErrors,
    long AcceptedReloads,
    long RefusedReloads,
    long TimeBudgetExceeded,
    bool ServingLastGoodCopy);
