namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: every rule file against its JSON Schema in <c>rules/schema</c> (built into this assembly), the
/// one description of the files' shape that editors, lint, validate and every reload use.</summary>
internal static class SchemaStage
{
    public static List<RuleProblem> Check(RuleSources sources) =>
        [.. sources.Files.SelectMany(f => RuleSchemas.Validate(f.Key, f.Value))];

    /// <summary>Adds the schema's findings on lines the readers have not already reported.</summary>
    public static void Merge(List<RuleProblem> problems, IEnumerable<RuleProblem> schema)
    {
        var located = problems.Select(p => (p.File, p.Line)).ToHashSet();
        problems.AddRange(schema.Where(p => located.Add((p.File, p.Line))));
    }
}
