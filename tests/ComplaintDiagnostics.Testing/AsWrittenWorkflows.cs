using ComplaintDiagnostics.Core.Rules;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Testing;

/// <summary>The workflows as the compiler reads them, one plain engine rule per rule (a table row becomes the
/// expression it compiles to, with its <c>missing</c> parameter): what "raw RulesEngine" means in the first-hit
/// comparison test and the benchmarks, without the service's first-hit wrapping or policy batching.</summary>
internal static class AsWrittenWorkflows
{
    public static Workflow[] Read(string rulesFolder)
    {
        var build = RuleSetCompiler.CompileAsync(RuleSources.ReadFolder(rulesFolder), DateTimeOffset.UnixEpoch).GetAwaiter().GetResult();
        var rules = build.RuleSet ?? throw new InvalidOperationException(string.Join("\n", build.Errors));
        return
        [
            .. rules.Workflows.Select(w => new Workflow
            {
                WorkflowName = w.Name,
                Rules = [.. w.Rules.Select(r => new Rule
                {
                    RuleName = r.Name,
                    Expression = r.Expression,
                    RuleExpressionType = RuleExpressionType.LambdaExpression,
                    LocalParams = [.. r.LocalParams.Select(p => new ScopedParam { Name = p.Key, Expression = p.Value })],
                })],
            }),
        ];
    }
}
