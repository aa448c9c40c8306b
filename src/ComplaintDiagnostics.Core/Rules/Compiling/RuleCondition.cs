namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>A rule's condition as RulesEngine evaluates it, with the table row it was written as (if it was).</summary>
/// <param name="Missing">The expression of the local parameter <c>missing</c> (what a needs-info answer lists), or null.</param>
/// <param name="Tests">The condition without the needs-info test <c>missing.Length &gt; 0</c> (<c>"true"</c> when nothing
/// else is tested); with <paramref name="MissingDecides"/> the row also needs something to be missing.</param>
internal sealed record RuleCondition(string Expression, string? Missing, RuleTable? Table, string Tests, bool MissingDecides);
