using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static partial class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddRulesHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ReadinessState>();
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

    /// <summary>Ready: a valid rule set, warm, and not shutting down. The health-check service's own per-poll log
    /// lines are off (appsettings.json); this check logs each change of state once instead.</summary>
    /// <summary>The last readiness state this service logged.</summary>
    private sealed class ReadinessState
    {
        public string? Last;
    }

    private sealed partial class RulesLoadedCheck(
        RuleSetHolder holder, HttpWarmup warmup, ShutdownDrain shutdown, ReadinessState state, ILogger<RulesLoadedCheck> logger) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var result = shutdown.Draining ? HealthCheckResult.Unhealthy("shutting down")
                : holder.Current is not { } rules ? HealthCheckResult.Unhealthy("no valid rule set is loaded")
                : !warmup.Done ? HealthCheckResult.Unhealthy("warming up")
                : HealthCheckResult.Healthy($"rules {rules.Version}");
            var now = $"{result.Status}: {result.Description}";
            if (Interlocked.Exchange(ref state.Last, now) != now)
            {
                LogReadiness(result.Status == HealthStatus.Healthy ? "ready" : "not ready", result.Description ?? "");
            }
            return Task.FromResult(result);
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Readiness: {State} ({Reason})")]
        private partial void LogReadiness(string state, string reason);
    }
}
