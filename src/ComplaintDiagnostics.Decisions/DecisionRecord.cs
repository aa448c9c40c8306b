namespace ComplaintDiagnostics.Decisions;

/// <summary>What a decision is: a diagnosis or a follow-up's assessment.</summary>
public static class DecisionKind
{
    public const string Diagnose = "diagnose";
    public const string FollowUp = "followUp";
}

/// <summary>Whether the answer reached the caller (live) or was computed beside it on a proposal (shadow).</summary>
public static class DecisionMode
{
    public const string Live = "live";
    public const string Shadow = "shadow";
}

/// <summary>
/// One answer on record. <see cref="Request"/> and <see cref="Answer"/> are JSON already cleaned of personal data
/// (<see cref="RecordedJson"/>): nothing here may hold a phone number, since every field reaches the store, its
/// indexes and its write-ahead log, and the spool on disk.
/// </summary>
/// <param name="Workflow">The workflow whose row decided (the escalation workflow for a follow-up).</param>
/// <param name="Rule">The row that decided.</param>
/// <param name="Cause">The cause answered (a follow-up: the cause its complaint was diagnosed as).</param>
/// <param name="Place">The location description as recorded (masked), for the area look-up without coordinates.</param>
public sealed record DecisionRecord(
    string DecisionId,
    string Kind,
    string Mode,
    DateTimeOffset RecordedAt,
    string? TicketId,
    string RulesVersion,
    string? Release,
    string Workflow,
    string Rule,
    string Cause,
    string Status,
    string? ComplaintType,
    double? Latitude,
    double? Longitude,
    string? Place,
    string Request,
    string Answer)
{
    /// <summary>What the area look-up gave <c>network.similarUnresolvedComplaints</c> when the complaint left it unknown
    /// (null: not looked up): the request is kept as received, so a replay of it gives the rules the same value.</summary>
    public bool? LookedUpSimilar { get; init; }

    /// <summary>A shadow decision's live decision: the answer that was sent for the same complaint.</summary>
    public string? ShadowOf { get; init; }

    /// <summary>A shadow decision's proposal (its id in the rule lifecycle).</summary>
    public string? Proposal { get; init; }
}
