using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>
/// Forgets what is older than <see cref="DecisionOptions.RetainDays"/> (the seed's 保存期限), every
/// <see cref="DecisionOptions.PurgeEveryMinutes"/>, by the service's clock: PostgreSQL drops whole days, SQLite
/// deletes in small batches. A failed purge is logged and tried at the next interval.
/// </summary>
public sealed partial class RetentionPurge(
    IDecisionStore store, DecisionRecorder recorder, IOptions<DecisionOptions> options, TimeProvider time, ILogger<RetentionPurge> logger)
    : BackgroundService
{
    /// <summary>Runs one purge now; the number of decisions deleted.</summary>
    public async Task<long> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetainDays);
        var deleted = await store.PurgeAsync(before, cancellationToken);
        if (deleted > 0)
        {
            LogPurged(deleted, before);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await recorder.Migrated.WaitAsync(stoppingToken);
        // The interval runs on the machine's clock; the cut-off is the service's (a test's fake clock moves it).
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PurgeEveryMinutes), TimeProvider.System);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(Contracts.Privacy.Clean(ex.Message));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Retention: {Deleted} decisions recorded before {Before:u} deleted")]
    private partial void LogPurged(long deleted, DateTimeOffset before);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Retention purge failed: {Error}; tried again at the next interval")]
    private partial void LogPurgeFailed(string error);
}
