namespace ComplaintDiagnostics.Contracts;

/// <summary>The service's answer: a probable cause or the fields the work order is missing,
/// the reply to read to the customer, who owns the next step and by when, and why.</summary>
public sealed record DiagnoseResponse
{
    public string? TicketId { get; init; }
    public required DiagnosisStatus Status { get; init; }
    public required Cause Cause { get; init; }

    /// <summary>For needsInfo: the request paths the work order must state (empty, never absent, otherwise).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public IReadOnlyList<string> MissingFields { get; init; } = [];

    public required Reply Reply { get; init; }
    public required Route Route { get; init; }
    [System.ComponentModel.DataAnnotations.Required]
    public IReadOnlyList<ActionItem> Actions { get; init; } = [];
    public required Deadlines Deadlines { get; init; }
    public required Priority Priority { get; init; }
    public required Trace Trace { get; init; }

    /// <summary>The version id of the rule set that answered.</summary>
    public required string RulesVersion { get; init; }

    /// <summary>This answer's id in the decision record (<c>GET /api/v1/decisions/{decisionId}</c>); absent when
    /// recording is off.</summary>
    public string? DecisionId { get; init; }
}

/// <param name="Code">The cause code, e.g. ACCOUNT_ARREARS.</param>
/// <param name="Group">The seed's cause group (account, settings, usage, terminal, other), when it has one.</param>
/// <param name="Label">The cause's label in the reply language.</param>
public sealed record Cause(
    string Code,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never), System.ComponentModel.DataAnnotations.Required] string? Group,
    string Label);

/// <param name="TemplateId">The template in the rule set's replies.json.</param>
/// <param name="Text">What the front desk reads to the customer, deadlines filled in.</param>
/// <param name="Language">The language of both texts.</param>
/// <param name="WorkOrderText">The result written back on the work order (third person), deadlines filled in.</param>
public sealed record Reply(string TemplateId, string Text, string Language, string? WorkOrderText = null);

/// <param name="Code">What to do, from the rule set's action catalogue (a front-desk system acts on it).</param>
/// <param name="DueBy">When, if a rule set a time.</param>
/// <param name="Label">The action in the reply language, for a person to read.</param>
public sealed record ActionItem(string Code, DateTimeOffset? DueBy = null, string? Label = null);

public sealed record Deadlines
{
    public DateTimeOffset? ContactBy { get; init; }
    public DateTimeOffset? OnSiteBy { get; init; }
    public DateTimeOffset? ResolveBy { get; init; }
}

/// <param name="Workflow">The workflow that chose the cause.</param>
/// <param name="MatchedRule">The first rule that matched (the winner).</param>
/// <param name="Evaluated">Every rule evaluated, in order.</param>
/// <param name="Policies">The policy workflows (priority, deadlines, field work) and the rule each one matched.</param>
/// <param name="When">When the winner is a decision-table row: its cells (column → test, e.g. <c>"customer.tier":
/// "groupLocal or groupProvincial"</c>), every one of which held for this complaint.</param>
/// <param name="LookedUp">Facts the request left unknown that the service looked up before the rules ran (the area's
/// complaint history in its decision record), with what it found.</param>
public sealed record Trace(
    string Workflow,
    string MatchedRule,
    IReadOnlyList<EvaluatedRule> Evaluated,
    IReadOnlyList<PolicyTrace> Policies,
    IReadOnlyDictionary<string, string>? When = null,
    IReadOnlyList<LookedUpFact>? LookedUp = null);

/// <param name="Field">The request path looked up, e.g. <c>network.similarUnresolvedComplaints</c>.</param>
/// <param name="Value">What the rules were given; null when the look-up failed and the field stayed unknown.</param>
/// <param name="Source">Where it was looked up: <c>decisionRecord</c>.</param>
/// <param name="Decisions">The recorded decisions that made it true (newest first, at most ten).</param>
/// <param name="Error">Why the look-up gave nothing (the record did not answer in time).</param>
public sealed record LookedUpFact(string Field, bool? Value, string Source, IReadOnlyList<string> Decisions, string? Error = null);

/// <param name="Error">Set when the rule's expression failed for this input; the rule then counts as not matched.</param>
public sealed record EvaluatedRule(string Rule, bool Matched, string? Error = null);

public sealed record PolicyTrace(string Workflow, string? MatchedRule);
