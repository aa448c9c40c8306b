using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Infrastructure;

internal static class InfrastructureExtensions
{
    /// <summary>Contract JSON, problem details for every error, and the diagnose limits.</summary>
    public static IServiceCollection AddApiInfrastructure(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => ContractJson.Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<AuditedDiagnoser>();
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddDiagnoseRateLimiting();
        services.AddOptions<DiagnoseOptions>()
            .BindConfiguration(DiagnoseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
