using ComplaintDiagnostics.Decisions.Recording;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Decisions;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the decision record: the store <c>Decisions:Provider</c> names (at
    /// <c>ConnectionStrings:Decisions</c>, SQLite at <see cref="DecisionOptions.DefaultSqlite"/> when unset), the
    /// recorder that writes to it off the request path, and the retention purge.</summary>
    public static IServiceCollection AddDecisionRecord(this IServiceCollection services)
    {
        services.AddOptions<DecisionOptions>()
            .BindConfiguration(DecisionOptions.Section, Core.ServiceCollectionExtensions.Strictly)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>((options, configuration) => !options.Enabled || ConnectionProblem(options, configuration) is null,
                "ConnectionStrings:Decisions is missing or unreadable for Decisions:Provider (postgresql needs one: Host=...;Database=...;Username=...)")
            .ValidateOnStart();
        services.AddSingleton<IDecisionStore>(sp => Create(
            sp.GetRequiredService<IOptions<DecisionOptions>>().Value, sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<DecisionMetrics>();
        services.AddSingleton<DecisionRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionRecorder>());
        services.AddHostedService<RetentionPurge>();
        services.AddSingleton<PerformanceGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<PerformanceGauges>());
        return services;
    }

    public static string ConnectionString(DecisionOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        var given = configuration.GetConnectionString(DecisionOptions.ConnectionStringName);
        return string.IsNullOrWhiteSpace(given) && options.Provider == "sqlite" ? DecisionOptions.DefaultSqlite : given ?? "";
    }

    /// <summary>The store for a provider and connection string (the CLI's <c>replay --from-store</c> opens one too).</summary>
    public static IDecisionStore Create(string provider, string connectionString) => provider switch
    {
        "postgresql" => new PostgresDecisionStore(connectionString),
        _ => new SqliteDecisionStore(connectionString),
    };

    private static IDecisionStore Create(DecisionOptions options, IConfiguration configuration) =>
        Create(options.Provider, ConnectionString(options, configuration));

    private static string? ConnectionProblem(DecisionOptions options, IConfiguration configuration)
    {
        var connection = ConnectionString(options, configuration);
        try
        {
            if (options.Provider == "postgresql")
            {
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection);
                return string.IsNullOrEmpty(builder.Host) ? "no Host" : null;
            }
            return string.IsNullOrEmpty(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource) ? "no Data Source" : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
