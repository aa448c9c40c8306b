using ComplaintDiagnostics.Api.Infrastructure;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddRulesHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<RulesLoadedCheck>("rules", tags: [ReadyTag]);
        return services;
    }

    /// <summary>/healthz: the process answers. /readyz: and a valid rule set is loaded.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/readyz", new() { Predicate = c => c.Tags.Contains(ReadyTag) }).WithTags("Health");
        return app;
    }

    private sealed class RulesLoadedCheck(RuleSetHolder holder, HttpWarmup warmup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(holder.Current is not { } rules ? HealthCheckResult.Unhealthy("no valid rule set is loaded")
                : !warmup.Done ? HealthCheckResult.Unhealthy("warming up")
                : HealthCheckResult.Healthy($"rules {rules.Version}"));
    }
}
