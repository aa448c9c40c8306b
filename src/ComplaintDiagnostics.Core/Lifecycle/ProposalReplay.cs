using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>A recorded complaint and the cause its ticket was confirmed as (a code of the catalogue).</summary>
public readonly record struct ConfirmedComplaint(DiagnoseRequest Request, string ConfirmedCause);

/// <summary>
/// The recorded complaints with a confirmed cause, answered by the active release and by a proposal: what the proposal
/// fixes, breaks and moves to a cause the active release does not have, by confirmed cause (<see cref="ProposalCheck"/>).
/// </summary>
public static class ProposalReplay
{
    public static async Task<ReplayEvidence> CompareAsync(
        RuleSet active, RuleSet proposal, IAsyncEnumerable<ConfirmedComplaint> complaints, Diagnoser diagnoser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(complaints);
        ArgumentNullException.ThrowIfNull(diagnoser);
        var byCause = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // tickets, changed, fixed, broken, moved
        string[] language = [active.Languages[0]];
        await foreach (var (request, confirmed) in complaints.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var before = await diagnoser.DiagnoseAsync(active, request, language, cancellationToken).ConfigureAwait(false);
            var after = await diagnoser.DiagnoseAsync(proposal, request, language, cancellationToken).ConfigureAwait(false);
            var counts = byCause.TryGetValue(confirmed, out var c) ? c : byCause[confirmed] = new int[5];
            counts[0]++;
            if (before.Status == after.Status && before.Cause.Code == after.Cause.Code)
            {
                continue;
            }
            counts[1]++;
            var wasRight = before.Cause.Code == confirmed;
            var isRight = after.Cause.Code == confirmed;
            if (!active.Causes.ContainsKey(after.Cause.Code) && proposal.Causes.ContainsKey(after.Cause.Code))
            {
                counts[4]++;
            }
            else if (isRight && !wasRight)
            {
                counts[2]++;
            }
            else if (wasRight && !isRight)
            {
                counts[3]++;
            }
        }
        var causes = byCause.Select(kv => new CauseEvidence(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3], kv.Value[4])).ToList();
        return new ReplayEvidence(causes.Sum(c => c.Tickets), causes.Sum(c => c.Changed), causes.Sum(c => c.Fixed), causes.Sum(c => c.Broken),
            causes.Sum(c => c.MovedToNewCause), causes);
    }
}
