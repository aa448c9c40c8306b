using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>A recorded complaint and the cause its ticket was confirmed as (a code of the catalogue); the decision it
/// was recorded as, when it comes from the record (the evidence's examples link to it).</summary>
public readonly record struct ConfirmedComplaint(DiagnoseRequest Request, string ConfirmedCause, string? DecisionId = null);

/// <summary>
/// The recorded complaints with a confirmed cause, answered by the active release and by a proposal: what the proposal
/// fixes, breaks and moves to a cause the active release does not have, by confirmed cause (<see cref="ProposalCheck"/>).
/// </summary>
public static class ProposalReplay
{
    /// <summary>Examples kept per confirmed cause: enough to open and see, few enough to keep in the lifecycle's state.</summary>
    public const int ExamplesPerCause = 3;

    public static async Task<ReplayEvidence> CompareAsync(
        RuleSet active, RuleSet proposal, IAsyncEnumerable<ConfirmedComplaint> complaints, Diagnoser diagnoser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(complaints);
        ArgumentNullException.ThrowIfNull(diagnoser);
        var byCause = new SortedDictionary<string, CauseEvidence>(StringComparer.Ordinal);
        string[] language = [active.Languages[0]];
        await foreach (var (request, confirmed, decisionId) in complaints.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var before = await diagnoser.DiagnoseAsync(active, request, language, cancellationToken).ConfigureAwait(false);
            var after = await diagnoser.DiagnoseAsync(proposal, request, language, cancellationToken).ConfigureAwait(false);
            var tally = byCause.GetValueOrDefault(confirmed) ?? new CauseEvidence(confirmed, 0, 0, 0, 0, 0);
            tally = tally with { Tickets = tally.Tickets + 1 };
            if (before.Status != after.Status || before.Cause.Code != after.Cause.Code)
            {
                var wasRight = before.Cause.Code == confirmed;
                var isRight = after.Cause.Code == confirmed;
                tally = tally with { Changed = tally.Changed + 1 };
                var kind = !active.Causes.ContainsKey(after.Cause.Code) && proposal.Causes.ContainsKey(after.Cause.Code) ? "movedToNewCause"
                    : isRight && !wasRight ? "fixed"
                    : wasRight && !isRight ? "broken"
                    : "changed";
                tally = kind switch
                {
                    "movedToNewCause" => tally with { MovedToNewCause = tally.MovedToNewCause + 1 },
                    "fixed" => tally with { Fixed = tally.Fixed + 1 },
                    "broken" => tally with { Broken = tally.Broken + 1 },
                    _ => tally,
                };
                if (decisionId is not null && (tally.Examples?.Count ?? 0) < ExamplesPerCause)
                {
                    tally = tally with { Examples = [.. tally.Examples ?? [], new ReplayExample(decisionId, kind, before.Cause.Code, after.Cause.Code)] };
                }
            }
            byCause[confirmed] = tally;
        }
        var causes = byCause.Values.ToList();
        return new ReplayEvidence(causes.Sum(c => c.Tickets), causes.Sum(c => c.Changed), causes.Sum(c => c.Fixed), causes.Sum(c => c.Broken),
            causes.Sum(c => c.MovedToNewCause), causes);
    }
}
