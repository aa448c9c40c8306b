using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// What the service does, as System.Diagnostics.Metrics instruments on the meter <c>ComplaintDiagnostics</c>:
/// exported by OpenTelemetry (Prometheus text at <c>/metrics</c>, OTLP when configured) and readable with
/// dotnet-counters. Recording is a counter increment: nothing here keeps its own totals.
/// </summary>
public sealed class DiagnosisMetrics : IDisposable
{
    public const string MeterName = "ComplaintDiagnostics";

    private readonly Meter _meter;
    private readonly Counter<long> _diagnoses;
    private readonly Counter<long> _ruleErrors;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _timeouts;

    /// <param name="rules">The rules in service, for the info gauge (<c>complaintdiagnostics_rules_info{rules_version}</c>);
    /// none for a diagnoser that does not serve (the warm-up's, the CLI's).</param>
    public DiagnosisMetrics(IMeterFactory meters, Rules.RuleSetHolder? rules = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _diagnoses = _meter.CreateCounter<long>("complaintdiagnostics.diagnoses", description: "Diagnoses answered, by cause and status.");
        _ruleErrors = _meter.CreateCounter<long>("complaintdiagnostics.rule_errors", description: "Rule expressions that failed on a request, by workflow and rule.");
        _reloads = _meter.CreateCounter<long>("complaintdiagnostics.reloads", description: "Rule set load attempts, by result (accepted, refused).");
        _timeouts = _meter.CreateCounter<long>("complaintdiagnostics.time_budget_exceeded", description: "Diagnoses answered 503 because they ran past Diagnose:TimeBudgetMilliseconds.");
        if (rules is not null)
        {
            // An info metric: always 1, the serving version as a label, so a dashboard shows which version each replica serves.
            _meter.CreateObservableGauge("complaintdiagnostics.rules.info",
                () => rules.Current is { } current
                    ? [new Measurement<int>(1, new KeyValuePair<string, object?>("rules_version", current.Version))]
                    : Array.Empty<Measurement<int>>(),
                description: "The rule set in service (value 1, its version as the rules_version label).");
            _meter.CreateObservableGauge("complaintdiagnostics.rules.serving_last_good_copy",
                () => rules.ServingLastGoodCopy ? 1 : 0,
                description: "1 while the service answers from its saved last-good copy because the rules folder was refused at start.");
        }
    }

    public void Diagnosed(string cause, string status) =>
        _diagnoses.Add(1, new KeyValuePair<string, object?>("cause", cause), new KeyValuePair<string, object?>("status", status));

    public void RuleFailed(string workflow, string rule) =>
        _ruleErrors.Add(1, new KeyValuePair<string, object?>("workflow", workflow), new KeyValuePair<string, object?>("rule", rule));

    public void Reloaded(bool accepted) =>
        _reloads.Add(1, new KeyValuePair<string, object?>("result", accepted ? "accepted" : "refused"));

    public void TimedOut() => _timeouts.Add(1);

    public void Dispose() => _meter.Dispose();
}

/// <summary>The service's spans (OpenTelemetry through System.Diagnostics): one per diagnosis and per follow-up,
/// carrying the rules version, the workflow and the matched rule; never a value from the complaint.</summary>
public static class DiagnosisTelemetry
{
    public const string SourceName = "ComplaintDiagnostics";

    public static readonly ActivitySource Source = new(SourceName);
}
