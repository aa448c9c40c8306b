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
