using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// The gate's evidence for a proposal, the same the CLI's <c>check</c> gives: lint's findings, the scenarios, and the
/// recorded complaints with a confirmed cause replayed on the active release and on the proposal. A ticket whose answer
/// the proposal changes is <c>fixed</c> (now the confirmed cause, before not), <c>broken</c> (before, no longer),
/// <c>movedToNewCause</c> (to a cause the active release does not have: no history can confirm it yet, so it never fails
/// the gate alone), or only changed.
/// </summary>
/// <param name="Changes">What the proposal changes against its base, by table row (a row moved in hit order is modified),
/// reply, cause, action, notify list and the manifest (deadlines, the area look-up).</param>
public sealed record ProposalCheck(
    bool Valid, string Version, IReadOnlyList<RuleProblem> Problems, int ScenariosPassed, IReadOnlyList<string> ScenariosFailed,
    IReadOnlyList<string> ScenarioFileErrors, ReplayEvidence Replay, Rules.History.RuleSetChanges? Changes = null)
{
    /// <summary>The confirmed causes the proposal answers less often than the active release: each needs an approver's
    /// explicit acceptance.</summary>
    public IReadOnlyList<string> Regressions => [.. Replay.ByCause.Where(c => c.Broken > 0).Select(c => c.Cause)];
}

/// <param name="Tickets">Recorded complaints with a confirmed cause that were replayed.</param>
public sealed record ReplayEvidence(
    int Tickets, int Changed, int Fixed, int Broken, int MovedToNewCause, IReadOnlyList<CauseEvidence> ByCause, string? Unavailable = null);

/// <summary>By confirmed cause: how many of its tickets the proposal fixes, breaks or moves to a new cause, and a few of
/// the recorded decisions it answers differently.</summary>
public sealed record CauseEvidence(string Cause, int Tickets, int Changed, int Fixed, int Broken, int MovedToNewCause,
    IReadOnlyList<ReplayExample>? Examples = null);

/// <summary>A recorded decision the proposal answers differently: <c>fixed</c>, <c>broken</c>, <c>movedToNewCause</c> or
/// <c>changed</c>, with the cause the active release gives and the one the proposal gives.</summary>
public sealed record ReplayExample(string DecisionId, string Kind, string Before, string After);
