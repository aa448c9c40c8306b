using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Hosting;

internal static class InfrastructureExtensions
{
    /// <summary>Contract JSON, problem details for every error, and the diagnose limits.</summary>
    public static IServiceCollection AddApiInfrastructure(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            ContractJson.Configure(options.SerializerOptions);
            // The answer, written by hand on the hot path (the same bytes as the serializer's; see the class).
            options.SerializerOptions.Converters.Add(new DiagnoseResponseWriter());
        });
        // Request nesting is bounded where the serializer reads it, so a deep body costs nothing to refuse.
        services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<DiagnoseOptions>>((json, limits) => json.SerializerOptions.MaxDepth = limits.Value.MaxDepth);
        // The problem's traceId is the request id the caller sent (or was given in X-Request-Id), so a
        // front-desk log and ours can be matched.
        services.AddProblemDetails(options => options.CustomizeProblemDetails =
            context => context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<AuditedDiagnoser>();
        services.AddSingleton<Record.DecisionLog>();
        services.AddSingleton<Record.AreaLookup>();
        services.AddSingleton<Record.RuleSetArchive>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<HttpWarmup>();
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section, Core.ServiceCollectionExtensions.Strictly).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.AddHostedService(sp => sp.GetRequiredService<HttpWarmup>());
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.Section, Core.ServiceCollectionExtensions.Strictly)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddClientRateLimiting();
        services.AddSingleton(sp => new ValidateGate(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.ValidateConcurrency));
        services.AddOptions<DiagnoseOptions>()
            .BindConfiguration(DiagnoseOptions.Section, Core.ServiceCollectionExtensions.Strictly)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
