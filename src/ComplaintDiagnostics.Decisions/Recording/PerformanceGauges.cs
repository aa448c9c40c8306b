using System.Diagnostics.Metrics;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>
/// The rules judged on confirmed causes as Prometheus gauges (<c>GET /api/v1/rules/performance</c> over the last 30 days):
/// per row, its hits, the hits whose ticket has an outcome, and its precision. Labels are rule set names only
/// (workflow, rule, cause), never a ticket's values, so the series stay as few as the rows. Computed every
/// <see cref="Every"/> off the scrape path (a scrape never waits on the store).
/// </summary>
public sealed partial class PerformanceGauges : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);
    private const int Days = 30;

    private readonly IDecisionStore _store;
    private readonly DecisionRecorder _recorder;
    private readonly DecisionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PerformanceGauges> _logger;
    private volatile IReadOnlyList<PerformanceRow> _rows = [];

    public PerformanceGauges(IDecisionStore store, DecisionRecorder recorder, IOptions<DecisionOptions> options, TimeProvider time,
        IMeterFactory meters, ILogger<PerformanceGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _store = store;
        _recorder = recorder;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var meter = meters.Create(Core.Diagnosis.DiagnosisMetrics.MeterName);
        meter.CreateObservableGauge("complaintdiagnostics.rule.hits", () => Measure(r => r.Hits),
            description: $"Live diagnoses each row decided in the last {Days} days.");
        meter.CreateObservableGauge("complaintdiagnostics.rule.with_outcome", () => Measure(r => r.WithOutcome),
            description: $"Of those, the ones whose ticket has a confirmed cause.");
        meter.CreateObservableGauge("complaintdiagnostics.rule.precision", () => _rows.Where(r => r.Precision is not null)
                .Select(r => new Measurement<double>(r.Precision!.Value, Labels(r))),
            description: "Of a row's diagnoses with a confirmed cause, the share confirmed as its own cause (0-1).");
    }

    /// <summary>Computes the gauges now (tests; the loop does it every few minutes).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        _rows = (await RulePerformance.ReadAsync(_store, Days, _time.GetUtcNow(), cancellationToken)).Rules;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        await _recorder.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Every, TimeProvider.System);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(Contracts.Privacy.Clean(ex.Message));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Measure(Func<PerformanceRow, long> value) => _rows.Select(r => new Measurement<long>(value(r), Labels(r)));

    private static KeyValuePair<string, object?>[] Labels(PerformanceRow row) =>
    [
        new("workflow", row.Workflow), new("rule", row.Rule), new("cause", row.Cause),
    ];

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Rule performance gauges not refreshed: {Error}")]
    private partial void LogRefreshFailed(string error);
}
