namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>A ticket in progress as the Escalation workflow sees it, under the parameter name <c>followUp</c>:
/// which deadlines are overdue, by how much, and what has happened so far.</summary>
public sealed class FollowUpFacts
{
    /// <summary>The ticket is closed: <c>progress.resolvedAt</c> is given.</summary>
    public bool Closed { get; init; }

    public bool ContactByOverdue { get; init; }
    public bool OnSiteByOverdue { get; init; }
    public bool ResolveByOverdue { get; init; }

    /// <summary>How late the repair is (minutes past <c>resolveBy</c>), when <c>resolveBy</c> is overdue.</summary>
    public double? ResolveOverdueMinutes { get; init; }

    /// <summary>The time the repair was allowed (minutes from receipt to <c>resolveBy</c>), when there is a <c>resolveBy</c>.</summary>
    public double? ResolveAllowedMinutes { get; init; }

    /// <summary>How many times the visit was put off.</summary>
    public int Postponements { get; init; }
}
