using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Which deadline an action is due by, or a fixed number of minutes after receipt.</summary>
public sealed record ActionSpec(string Code, DeadlineKind? Due, int? DueInMinutes);

public enum DeadlineKind { ContactBy, OnSiteBy, ResolveBy }

/// <summary>Minutes after receipt for each deadline a rule sets.</summary>
public sealed record DeadlineMinutes(int? ContactBy, int? OnSiteBy, int? ResolveBy)
{
    public static readonly DeadlineMinutes None = new(null, null, null);

    /// <summary>Where both set the same deadline, the earliest wins.</summary>
    public DeadlineMinutes Earliest(DeadlineMinutes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Min(ContactBy, other.ContactBy), Min(OnSiteBy, other.OnSiteBy), Min(ResolveBy, other.ResolveBy));
    }

    /// <summary>The deadline as a timestamp in <paramref name="receivedAt"/>'s offset, when it is set.</summary>
    public DateTimeOffset? At(DeadlineKind kind, DateTimeOffset receivedAt)
    {
        var minutes = kind switch
        {
            DeadlineKind.ContactBy => ContactBy,
            DeadlineKind.OnSiteBy => OnSiteBy,
            _ => ResolveBy,
        };
        return minutes is { } m ? receivedAt.AddMinutes(m) : null;
    }

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}

/// <summary>What a rule decides when it wins: read from its <c>Properties</c> once, at load time.</summary>
public sealed record RuleOutcome(
    DiagnosisStatus Status,
    string? Cause,
    Route? Route,
    string? Reply,
    Priority? Priority,
    DeadlineMinutes Deadlines,
    IReadOnlyList<ActionSpec> Actions,
    int? Level = null,
    IReadOnlyList<string>? Notify = null);

/// <summary>One rule as loaded: its place in the files and what it decides.</summary>
/// <param name="Line">The line of its expression.</param>
/// <param name="Column">The column where its expression's text starts.</param>
public sealed record LoadedRule(string Name, string Expression, string File, int Line, int Column, RuleOutcome Outcome)
{
    /// <summary>The rule's local parameters (name and expression), e.g. the needs-info rule's <c>missing</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> LocalParams { get; init; } = [];
}

/// <summary>What a workflow decides: the diagnosis of a complaint type, a policy run after it, or the escalation
/// of a ticket in progress (follow-up).</summary>
public enum WorkflowRole { Diagnosis, Policy, Escalation }

/// <summary>A workflow in hit order: the first rule that matches wins.</summary>
public sealed record LoadedWorkflow(string Name, string File, WorkflowRole Role, IReadOnlyList<LoadedRule> Rules);

public sealed record CauseInfo(string Code, string? Group, IReadOnlyDictionary<string, string> Labels);
