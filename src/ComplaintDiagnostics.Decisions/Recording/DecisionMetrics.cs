using System.Diagnostics.Metrics;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>The recorder's instruments, on the service's meter (<c>ComplaintDiagnostics</c>): what reached the store,
/// what waits in the spool, and what was lost (never silently: also a log line and <c>/api/v1/rules/status</c>).</summary>
public sealed class DecisionMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _lost;

    public DecisionMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(Core.Diagnosis.DiagnosisMetrics.MeterName);
        _stored = _meter.CreateCounter<long>("complaintdiagnostics.decisions.stored", description: "Decisions written to the decision store.");
        _spooled = _meter.CreateCounter<long>("complaintdiagnostics.decisions.spooled", description: "Decisions written to the on-disk spool while the store was slow or down.");
        _lost = _meter.CreateCounter<long>("complaintdiagnostics.decisions.lost", description: "Decisions not recorded: the queue or the spool was full, or the spool could not be written.");
    }

    public void Stored(int count) => _stored.Add(count);

    public void Spooled(int count) => _spooled.Add(count);

    public void Lost(int count, string reason) => _lost.Add(count, new KeyValuePair<string, object?>("reason", reason));
}
