using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplaintDiagnostics.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the diagnosis core: the live rule set, its reloader (options from the
    /// <c>Rules</c> configuration section, validated at start) and the diagnoser.</summary>
    public static IServiceCollection AddComplaintDiagnosis(this IServiceCollection services)
    {
        services.AddOptions<RulesOptions>()
            .BindConfiguration(RulesOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RuleSetHolder>();
        services.AddMetrics();
        services.AddSingleton<DiagnosisMetrics>();
        services.AddSingleton<Diagnoser>();
        services.AddSingleton<FollowUp>();
        services.AddSingleton<Scenarios.ScenarioRunner>();
        services.AddSingleton<Scenarios.ProposalValidator>();
        services.AddSingleton<RuleSetReloader>();
        services.AddSingleton<Rules.History.RulesHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<RuleSetReloader>());
        return services;
    }
}
