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

    /// <summary>This answer's id in the decision record; absent when recording is off.</summary>
    public string? DecisionId { get; init; }
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
    /// <summary>How far apart two systems' clocks may be: a time this much before <c>receivedAt</c> or after <c>now</c> is
    /// taken as the same moment; further, the timeline is impossible and refused (docs/api.md, follow-up).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="clock">The service's time, which <c>now</c> defaults to; null: <c>now</c> is only checked when given.</param>
    public static Dictionary<string, string[]> Validate(FollowUpRequest request, int maxTextLength = DiagnoseRequestValidation.DefaultMaxTextLength,
        DateTimeOffset? clock = null)
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
        if (errors.Count == 0)
        {
            Timeline(errors, request, request.Now ?? clock);
        }
        return errors;
    }

    /// <summary>An impossible timeline (resolved after the time judged at, contacted before the complaint came in) used to
    /// answer 200 with its escalation silenced, as if on time: each such time is refused under its path.</summary>
    private static void Timeline(Dictionary<string, string[]> errors, FollowUpRequest request, DateTimeOffset? now)
    {
        var received = request.Complaint?.ReceivedAt;
        var skew = $"(clocks {ClockSkew.TotalMinutes:0} minutes apart are accepted)";
        if (received is { } r && request.Now is { } n && n < r - ClockSkew)
        {
            errors["now"] = [$"{Stamp(n)} is before complaint.receivedAt {Stamp(r)}: a ticket is followed up after it came in {skew}."];
        }
        else if (received is { } future && request.Now is null && now is { } clock && future > clock + ClockSkew)
        {
            // Without "now", the time judged at is the service's clock: a complaint received after it cannot be followed up.
            errors["complaint.receivedAt"] = [$"{Stamp(future)} is after the service's clock {Stamp(clock)}, the time judged at when \"now\" is not given {skew}."];
        }
        foreach (var (path, value) in new[]
        {
            ("progress.contactedAt", request.Progress?.ContactedAt), ("progress.onSiteAt", request.Progress?.OnSiteAt),
            ("progress.resolvedAt", request.Progress?.ResolvedAt),
        })
        {
            if (value is not { } v)
            {
                continue;
            }
            if (received is { } at && v < at - ClockSkew)
            {
                errors[path] = [$"{Stamp(v)} is before complaint.receivedAt {Stamp(at)}: nothing is done on a ticket before it came in {skew}."];
            }
            else if (now is { } judged && v > judged + ClockSkew)
            {
                errors[path] = [$"{Stamp(v)} is after now {Stamp(judged)}: progress is what has happened by the time judged at {skew}."];
            }
        }
    }

    private static string Stamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static void Time(Dictionary<string, string[]> errors, string path, DateTimeOffset? value)
    {
        if (value is { } v && (v < DiagnoseRequestValidation.EarliestReceivedAt || v >= DiagnoseRequestValidation.LatestReceivedAt))
        {
            errors[path] = [DiagnoseRequestValidation.OutOfRange];
        }
    }
}
