namespace ComplaintDiagnostics.Core.Rules;

/// <summary>What <c>lint</c> and <c>POST /api/v1/rules/validate</c> report: exactly what a reload would refuse or
/// warn about (the compiler runs the JSON Schemas too).</summary>
public static class RuleLinter
{
    public static async Task<(RuleSetBuild Build, IReadOnlyList<RuleProblem> Findings)> LintAsync(
        RuleSources sources, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var build = await RuleSetCompiler.CompileAsync(sources, now, cancellationToken).ConfigureAwait(false);
        return (build, build.Problems);
    }
}
