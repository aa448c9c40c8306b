using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
using System.Diagnostics;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Api.Audit;

/// <summary>
/// The diagnoser as the endpoints use it: one audit line per diagnosis (ticket id with any long digit run
/// masked, rules version, cause, latency; no personal data; written by <see cref="AuditLog"/>) and one decision on
/// record (<see cref="Record.DecisionLog"/>), under a time budget.
/// </summary>
internal sealed partial class AuditedDiagnoser(
    Diagnoser diagnoser, FollowUp followUp, DiagnosisMetrics metrics, TimeProvider time, AuditLog audit, Record.DecisionLog decisions,
    Record.AreaLookup area, ILogger<AuditedDiagnoser> logger)
    : IDisposable
{
    // For the start-up warm-up: the same code as the recorded diagnoser, counting into metrics that nobody reads
    // (a meter under another name). A diagnoser without metrics would take other branches, and the first real
    // request would then meet the metrics code cold.
    private readonly DiagnosisMetrics _warmupMetrics = new(new UnreadMeters());
    private Diagnoser? _unrecorded;

    private Diagnoser Unrecorded => _unrecorded ??= new Diagnoser(time, _warmupMetrics);

    public void Dispose() => _warmupMetrics.Dispose();

    /// <summary>The answer, or null when it could not be given within <paramref name="budget"/>.</summary>
    /// <param name="requestId">The request's id, written in the audit line and the time-budget warning.</param>
    /// <param name="recorded">False for the service's own repeated warm-up requests: no audit line, no metrics.</param>
    /// <param name="decision">False for every warm-up request: the decision is built (its code warmed) but not recorded.</param>
    /// <remarks>The budget is enforced twice: a token that stops the engine between workflows, and the clock
    /// afterwards, since a timer callback can run late on a busy machine and an answer past its budget is
    /// reported as too slow either way.</remarks>
    public async Task<DiagnoseResponse?> DiagnoseAsync(
        RuleSet rules, DiagnoseRequest request, IEnumerable<string> languages, TimeSpan budget, string? requestId,
        CancellationToken requestAborted, bool recorded = true, bool decision = true)
    {
        // What the request left unknown and the record knows (the area's complaint history), before the rules run.
        var (effective, lookedUp) = await area.ApplyAsync(rules, request, requestAborted);
        var answer = await BudgetedAsync(rules, effective, budget, requestId,
            token => (recorded ? diagnoser : Unrecorded).DiagnoseAsync(rules, effective, languages, token), requestAborted);
        if (answer is { Answer: { } withFacts } && lookedUp is not null)
        {
            answer = (withFacts with { Trace = withFacts.Trace with { LookedUp = [lookedUp] } }, answer.Value.Milliseconds);
        }
        if (answer is not { Answer: { } diagnosed } || !recorded)
        {
            return answer?.Answer;
        }
        if (audit.Enabled)
        {
            audit.Diagnosed(requestId, diagnosed.TicketId, diagnosed.RulesVersion, diagnosed.Cause.Code, diagnosed.Trace.MatchedRule, answer.Value.Milliseconds);
        }
        return decisions.Diagnosed(rules, request, diagnosed, record: decision);
    }

    /// <summary>A follow-up, through the same budget and audit as a diagnosis: it evaluates the complaint too.</summary>
    public async Task<FollowUpResponse?> FollowUpAsync(
        RuleSet rules, FollowUpRequest request, IEnumerable<string> languages, TimeSpan budget, string? requestId, CancellationToken requestAborted)
    {
        var complaint = request.Complaint!;
        var answer = await BudgetedAsync(rules, complaint, budget, requestId,
            token => followUp.AssessAsync(rules, request, languages, token), requestAborted);
        if (answer is not { Answer: { } assessed })
        {
            return null;
        }
        if (audit.Enabled)
        {
            audit.FollowedUp(requestId, assessed.TicketId, assessed.RulesVersion, assessed.Cause.Code, assessed.Escalation.Level,
                assessed.Escalation.MatchedRule ?? "-", answer.Value.Milliseconds);
        }
        return decisions.FollowedUp(rules, request, assessed);
    }

    /// <summary>Runs <paramref name="evaluate"/> under <paramref name="budget"/>: its answer and how long it took, or null
    /// (the time-budget warning logged and counted) when it could not answer in time.</summary>
    private async Task<(T Answer, double Milliseconds)?> BudgetedAsync<T>(
        RuleSet rules, DiagnoseRequest request, TimeSpan budget, string? requestId, Func<CancellationToken, Task<T>> evaluate, CancellationToken requestAborted)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timer.CancelAfter(budget);
        try
        {
            var answer = await evaluate(timer.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return elapsed > budget ? TimedOut<T>(request, rules, requestId, started) : (answer, elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return TimedOut<T>(request, rules, requestId, started);
        }
    }

    private sealed class UnreadMeters : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) =>
            new(options.Name + ".WarmUp", options.Version);

        public void Dispose()
        {
        }
    }

    private (T, double)? TimedOut<T>(DiagnoseRequest request, RuleSet rules, string? requestId, long started)
    {
        metrics.TimedOut();
        LogTimedOut(Privacy.ForLog(request.TicketId), rules.Version, Stopwatch.GetElapsedTime(started).TotalMilliseconds, requestId ?? "-");
        return null;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Ticket {TicketId} ran out of its time budget with rules {RulesVersion} after {LatencyMs:0.00} ms (request {RequestId})")]
    private partial void LogTimedOut(string ticketId, string rulesVersion, double latencyMs, string requestId);
}
