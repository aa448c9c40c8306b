using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplaintDiagnostics.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>How the service binds each section of its settings: a key its options do not have (<c>Rules:Pth</c> for
    /// <c>Rules:Path</c>, a Deployment's <c>Rules__Pth</c>) stops the start with the key's name, as a value out of range
    /// does, instead of leaving the setting at its default unnoticed (a service serving the image's rules, say).</summary>
    public static void Strictly(BinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ErrorOnUnknownConfiguration = true;
    }

    /// <summary>Registers the diagnosis core: the live rule set, its reloader (options from the
    /// <c>Rules</c> configuration section, validated at start) and the diagnoser.</summary>
    public static IServiceCollection AddComplaintDiagnosis(this IServiceCollection services)
    {
        services.AddOptions<RulesOptions>()
            .BindConfiguration(RulesOptions.Section, Strictly)
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
