using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// Counters of what the service does, as System.Diagnostics.Metrics instruments (meter
/// <c>ComplaintDiagnostics</c>, for dotnet-counters or an OpenTelemetry exporter) and as running totals
/// that <c>GET /metrics</c> shows without any collector.
/// </summary>
public sealed class DiagnosisMetrics : IDisposable
{
    public const string MeterName = "ComplaintDiagnostics";

    private readonly Meter _meter;
    private readonly Counter<long> _diagnoses;
    private readonly Counter<long> _ruleErrors;
    private readonly Counter<long> _reloads;
    private readonly ConcurrentDictionary<string, long> _byCause = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byRuleError = new(StringComparer.Ordinal);
    private long _accepted;
    private long _refused;
    private long _timeouts;

    public DiagnosisMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _diagnoses = _meter.CreateCounter<long>("complaintdiagnostics.diagnoses", description: "Diagnoses answered, by cause and status.");
        _ruleErrors = _meter.CreateCounter<long>("complaintdiagnostics.rule_errors", description: "Rule expressions that failed on a request.");
        _reloads = _meter.CreateCounter<long>("complaintdiagnostics.reloads", description: "Rule set load attempts, by result.");
    }

    public IReadOnlyDictionary<string, long> DiagnosesByCause => _byCause;
    public IReadOnlyDictionary<string, long> RuleErrors => _byRuleError;
    public long AcceptedReloads => Interlocked.Read(ref _accepted);
    public long RefusedReloads => Interlocked.Read(ref _refused);
    public long Timeouts => Interlocked.Read(ref _timeouts);

    public void Diagnosed(string cause, string status)
    {
        _byCause.AddOrUpdate(cause, 1, (_, n) => n + 1);
        _diagnoses.Add(1, new KeyValuePair<string, object?>("cause", cause), new KeyValuePair<string, object?>("status", status));
    }

    public void RuleFailed(string workflow, string rule)
    {
        _byRuleError.AddOrUpdate($"{workflow}/{rule}", 1, (_, n) => n + 1);
        _ruleErrors.Add(1, new KeyValuePair<string, object?>("workflow", workflow), new KeyValuePair<string, object?>("rule", rule));
    }

    public void Reloaded(bool accepted)
    {
        Interlocked.Increment(ref accepted ? ref _accepted : ref _refused);
        _reloads.Add(1, new KeyValuePair<string, object?>("result", accepted ? "accepted" : "refused"));
    }

    public void TimedOut() => Interlocked.Increment(ref _timeouts);

    public void Dispose() => _meter.Dispose();
}
