namespace ComplaintDiagnostics.Core.Rules;

/// <summary>What a workflow decides: the diagnosis of a complaint type, a policy run after it, or the escalation
/// of a ticket in progress (follow-up).</summary>
public enum WorkflowRole { Diagnosis, Policy, Escalation }

/// <summary>A workflow in hit order: the first rule that matches wins.</summary>
public sealed record LoadedWorkflow(string Name, string File, WorkflowRole Role, IReadOnlyList<LoadedRule> Rules);

public sealed record CauseInfo(string Code, string? Group, IReadOnlyDictionary<string, string> Labels);
