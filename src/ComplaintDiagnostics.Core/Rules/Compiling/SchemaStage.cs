namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: every rule file against its JSON Schema in <c>rules/schema</c> (built into this assembly), the
/// one description of the files' shape that editors, lint, validate and every reload use.</summary>
internal static class SchemaStage
{
    public static List<RuleProblem> Check(RuleFiles files) =>
        [.. files.Sources.Files.Keys.SelectMany(f => files.Parsed(f).Token is { } token ? RuleSchemas.Validate(f, token) : [])];

    /// <summary>Adds the schema's findings on lines the readers have not already reported.</summary>
    public static void Merge(List<RuleProblem> problems, IEnumerable<RuleProblem> schema)
    {
        var located = problems.Select(p => (p.File, p.Line)).ToHashSet();
        problems.AddRange(schema.Where(p => located.Add((p.File, p.Line))));
    }
}
