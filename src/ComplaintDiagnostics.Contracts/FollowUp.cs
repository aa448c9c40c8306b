namespace ComplaintDiagnostics.Contracts;

/// <summary>A ticket in progress: the complaint as it was diagnosed, the time to judge at, and what has happened.</summary>
public sealed record FollowUpRequest
{
    /// <summary>The diagnose request as it was diagnosed; its <c>receivedAt</c> is required here.</summary>
    public DiagnoseRequest? Complaint { get; init; }

    /// <summary>When to judge what is overdue (ISO-8601 with offset); default: the service's clock.</summary>
    public DateTimeOffset? Now { get; init; }

    public FollowUpProgress? Progress { get; init; }
}

/// <summary>What has happened on the ticket so far.</summary>
public sealed record FollowUpProgress
{
    public DateTimeOffset? ContactedAt { get; init; }
    public DateTimeOffset? OnSiteAt { get; init; }

    /// <summary>Given when the ticket is closed.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>How many times the visit was put off (0 or more).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int? Postponements { get; init; }
}

/// <summary>What is overdue on a ticket in progress and whom to tell.</summary>
public sealed record FollowUpResponse
{
    public string? TicketId { get; init; }
    public required DiagnosisStatus Status { get; init; }
    public required Cause Cause { get; init; }
    public required Deadlines Deadlines { get; init; }

    /// <summary>The deadlines passed, in the order contactBy, onSiteBy, resolveBy.</summary>
    public required IReadOnlyList<string> Overdue { get; init; }

    public required Escalation Escalation { get; init; }
    public required string RulesVersion { get; init; }
}

/// <param name="Level">0 (nothing to do) to 3, as the contract states.</param>
/// <param name="Notify">Whom to tell now: codes from the rule set's notify catalogue.</param>
/// <param name="MatchedRule">The escalation rule that decided.</param>
/// <param name="NotifyLabels">The same, in the reply language.</param>
public sealed record Escalation([property: System.ComponentModel.DataAnnotations.Range(0, Escalation.HighestLevel)] int Level, IReadOnlyList<string> Notify, string? MatchedRule, IReadOnlyList<string> NotifyLabels)
{
    /// <summary>The highest level the contract answers (<c>level: 0–3</c>); a rule file may not set more.</summary>
    public const int HighestLevel = 3;
}

/// <summary>Checks on a follow-up request that JSON types alone cannot express; errors by request path.</summary>
public static class FollowUpRequestValidation
{
    public static Dictionary<string, string[]> Validate(FollowUpRequest request, int maxTextLength = DiagnoseRequestValidation.DefaultMaxTextLength)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Complaint is not { } complaint)
        {
            errors["complaint"] = ["required: the diagnose request as it was diagnosed, with its receivedAt."];
        }
        else
        {
            foreach (var (path, messages) in DiagnoseRequestValidation.Validate(complaint, maxTextLength))
            {
                errors["complaint." + path] = messages;
            }
            if (complaint.ReceivedAt is null)
            {
                errors["complaint.receivedAt"] = ["required here: every deadline counts from it."];
            }
        }
        Time(errors, "now", request.Now);
        Time(errors, "progress.contactedAt", request.Progress?.ContactedAt);
        Time(errors, "progress.onSiteAt", request.Progress?.OnSiteAt);
        Time(errors, "progress.resolvedAt", request.Progress?.ResolvedAt);
        if (request.Progress?.Postponements is < 0)
        {
            errors["progress.postponements"] = ["must be 0 or more."];
        }
        return errors;
    }

    private static void Time(Dictionary<string, string[]> errors, string path, DateTimeOffset? value)
    {
        if (value is { } v && (v < DiagnoseRequestValidation.EarliestReceivedAt || v >= DiagnoseRequestValidation.LatestReceivedAt))
        {
            errors[path] = [DiagnoseRequestValidation.OutOfRange];
        }
    }
}
