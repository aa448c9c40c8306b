namespace ComplaintDiagnostics.Core.Rules;

/// <summary>What <c>lint</c> and <c>POST /api/v1/rules/validate</c> report: the compiler's problems (exactly
/// what a reload would refuse or warn about) plus JSON Schema violations the compiler did not already
/// report on the same line.</summary>
public static class RuleLinter
{
    public static async Task<(RuleSetBuild Build, IReadOnlyList<RuleProblem> Findings)> LintAsync(
        RuleSources sources, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var build = await RuleSetCompiler.CompileAsync(sources, now, cancellationToken).ConfigureAwait(false);
        var findings = build.Problems.ToList();
        var located = findings.Select(p => (p.File, p.Line)).ToHashSet();
        foreach (var (file, text) in sources.Files)
        {
            findings.AddRange(RuleSchemas.Validate(file, text).Where(p => located.Add((p.File, p.Line))));
        }
        return (build, [.. findings.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? 0)]);
    }
}
