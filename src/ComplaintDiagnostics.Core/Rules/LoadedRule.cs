namespace ComplaintDiagnostics.Core.Rules;

/// <summary>One rule as loaded: its place in the files and what it decides.</summary>
/// <param name="Line">The line of its expression.</param>
/// <param name="Column">The column where its expression's text starts.</param>
public sealed record LoadedRule(string Name, string Expression, string File, int Line, int Column, RuleOutcome Outcome)
{
    /// <summary>The rule's local parameters (name and expression), e.g. the needs-info rule's <c>missing</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> LocalParams { get; init; } = [];

    /// <summary>The line of each local parameter in <see cref="LocalParams"/>, for problems that point at it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> LocalParamLines { get; init; } = [];

    /// <summary>The row as its author wrote it in a table (<c>When</c>, <c>MustState</c>, <c>AskFor</c>), or null for
    /// a rule written as an <c>Expression</c>; <see cref="Expression"/> is then what the table compiled to.</summary>
    public RuleTable? Table { get; init; }

    /// <summary>The row's condition in the pieces a folded run is made of (<c>Core/Serving</c>), or null when nothing but
    /// the ticket may be in its scope (local parameters of its own, or a hand-written condition beside a needs-info list):
    /// such a row is always served as a rule of its own. Serving decides the rest (<c>ServingPlan.Folds</c>).</summary>
    internal FoldedRow? Fold { get; init; }
}

/// <summary>What a row tests, in pieces that can be folded into one expression with its neighbours.</summary>
/// <param name="Tests">The condition without a needs-info test (<c>"true"</c> for none).</param>
/// <param name="Missing">The expression listing what a needs-info answer asks for, or null.</param>
/// <param name="MissingDecides">The row also needs <paramref name="Missing"/> to list something (<c>MustState</c>).</param>
internal sealed record FoldedRow(string Tests, string? Missing, bool MissingDecides);

/// <summary>One cell of a decision-table row: the column (a request path) and its test as a NOC engineer reads it,
/// e.g. <c>customer.tier</c>: <c>groupLocal or groupProvincial</c>.</summary>
public sealed record TableCell(string Path, string Test);

/// <summary>A rule written as a decision-table row: every cell must hold; a needs-info row also names the fields it
/// asks for (<see cref="MustState"/>: when any is unknown; <see cref="AskFor"/>: as its condition says).</summary>
public sealed record RuleTable(IReadOnlyList<TableCell> Cells, IReadOnlyList<string> MustState, IReadOnlyList<string> AskFor)
{
    /// <summary>The cells by column, as an answer's trace shows the winning row (built once, at load).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, string> ByColumn { get; } = Cells.ToDictionary(c => c.Path, c => c.Test, StringComparer.Ordinal);
}
