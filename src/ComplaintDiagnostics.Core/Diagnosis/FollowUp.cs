using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// Closed-loop control for a ticket in progress: diagnoses the complaint again (same rules, same deadlines), says
/// which deadlines are overdue (the matching progress time, or now where there is none yet, is later than the
/// deadline), and runs the rule set's Escalation workflow, first hit, to say whom to tell. All thresholds are rule
/// data; this class only does the arithmetic of time.
/// </summary>
public sealed class FollowUp(Diagnoser diagnoser, TimeProvider time)
{
    /// <param name="request">A request that passed <see cref="FollowUpRequestValidation"/>.</param>
    public async Task<FollowUpResponse> AssessAsync(
        RuleSet rules, FollowUpRequest request, IEnumerable<string> languages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(request);
        var complaint = request.Complaint ?? throw new ArgumentException("complaint is required.", nameof(request));
        var received = complaint.ReceivedAt ?? throw new ArgumentException("complaint.receivedAt is required.", nameof(request));
        var language = rules.ChooseLanguage(languages);
        using var activity = DiagnosisTelemetry.Source.StartActivity("follow_up");
        var answer = await diagnoser.DiagnoseAsync(rules, complaint, [language], cancellationToken).ConfigureAwait(false);
        var now = request.Now ?? time.GetUtcNow();
        var progress = request.Progress ?? new FollowUpProgress();
        var deadlines = answer.Deadlines;

        bool Overdue(DateTimeOffset? deadline, DateTimeOffset? done) => deadline is { } d && (done ?? now) > d;
        var contactOverdue = Overdue(deadlines.ContactBy, progress.ContactedAt);
        var onSiteOverdue = Overdue(deadlines.OnSiteBy, progress.OnSiteAt);
        var resolveOverdue = Overdue(deadlines.ResolveBy, progress.ResolvedAt);
        var facts = new FollowUpFacts
        {
            Closed = progress.ResolvedAt is not null,
            ContactByOverdue = contactOverdue,
            OnSiteByOverdue = onSiteOverdue,
            ResolveByOverdue = resolveOverdue,
            ResolveOverdueMinutes = resolveOverdue ? ((progress.ResolvedAt ?? now) - deadlines.ResolveBy!.Value).TotalMinutes : null,
            ResolveAllowedMinutes = deadlines.ResolveBy is { } resolveBy ? (resolveBy - received).TotalMinutes : null,
            Postponements = progress.Postponements ?? 0,
        };
        (string Name, bool Overdue)[] overdue = [("contactBy", contactOverdue), ("onSiteBy", onSiteOverdue), ("resolveBy", resolveOverdue)];
        var escalation = await EscalateAsync(rules, complaint, answer, facts, language, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("complaintdiagnostics.rules_version", rules.Version);
        activity?.SetTag("complaintdiagnostics.workflow", rules.Escalation?.Name);
        activity?.SetTag("complaintdiagnostics.matched_rule", escalation.MatchedRule);
        activity?.SetTag("complaintdiagnostics.escalation_level", escalation.Level);
        return new FollowUpResponse
        {
            TicketId = complaint.TicketId,
            Status = answer.Status,
            Cause = answer.Cause,
            Deadlines = deadlines,
            Overdue = [.. overdue.Where(d => d.Overdue).Select(d => d.Name)],
            Escalation = escalation,
            RulesVersion = rules.Version,
        };
    }

    private static async Task<Escalation> EscalateAsync(
        RuleSet rules, DiagnoseRequest complaint, DiagnoseResponse answer, FollowUpFacts facts, string language, CancellationToken cancellationToken)
    {
        var ticket = new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(complaint));
        var diagnosis = new DiagnosisFacts(answer.Status, answer.Cause.Code, answer.Route);
        if (await rules.Server.EscalateAsync(ticket, diagnosis, facts, cancellationToken).ConfigureAwait(false) is not { } winner)
        {
            return new Escalation(0, [], null, []);
        }
        var notify = winner.Outcome.Notify ?? [];
        return new Escalation(winner.Outcome.Level ?? 0, notify, winner.Name,
            [.. notify.Select(code => rules.Notify.TryGetValue(code, out var labels) ? RuleSet.TextIn(labels, language) : code)]);
    }
}
