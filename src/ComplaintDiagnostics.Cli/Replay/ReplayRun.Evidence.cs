namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The figures of the service's proposal check (<c>check.replay</c> on a proposal), from a replay against a
/// baseline: tickets replayed, answers changed, and of those fixed, broken and moved to a new cause.</summary>
internal sealed record EvidenceCounts(long Tickets, long Changed, long Fixed, long Broken, long MovedToNewCause);

internal sealed partial class ReplayRun
{
    /// <summary>
    /// The changed answers counted as the service's proposal check counts them (<c>ProposalReplay</c>, the evidence on a
    /// proposal's page): an answer whose status or cause changed is <c>movedToNewCause</c> (to a cause the baseline does
    /// not have), <c>fixed</c> (now its confirmed cause, before not), <c>broken</c> (before, no longer) or only changed.
    /// Null without a baseline.
    /// </summary>
    public EvidenceCounts? Evidence
    {
        get
        {
            if (Comparison is null)
            {
                return null;
            }
            long changed = 0, fixedCount = 0, broken = 0, moved = 0;
            foreach (var c in Comparison.Changes())
            {
                if (c.Before.Status == c.After.Status && string.Equals(c.Before.Cause, c.After.Cause, StringComparison.Ordinal))
                {
                    continue;
                }
                changed++;
                var wasRight = c.Confirmed is { } confirmed && string.Equals(c.Before.Cause, confirmed, StringComparison.Ordinal);
                var isRight = c.Confirmed is { } now && string.Equals(c.After.Cause, now, StringComparison.Ordinal);
                if (c.After.Cause is { } cause && BaselineCauses is { } baseline && !baseline.IsCode(cause))
                {
                    moved++;
                }
                else if (isRight && !wasRight)
                {
                    fixedCount++;
                }
                else if (wasRight && !isRight)
                {
                    broken++;
                }
            }
            return new EvidenceCounts(Tally.Evaluated, changed, fixedCount, broken, moved);
        }
    }
}
