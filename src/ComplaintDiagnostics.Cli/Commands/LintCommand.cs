using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Commands;

/// <summary><c>lint</c>: every finding as <c>file:line:column rule: message</c>; exit 1 when there is any.</summary>
internal sealed class LintCommand(ConsoleOutput console, TimeProvider time)
{
    public async Task<int> RunAsync(DirectoryInfo folder, CancellationToken cancellationToken) =>
        (await LintAsync(folder, cancellationToken)).Code;

    /// <returns>The exit code, and whether the service would load the rules (warnings only, or nothing).</returns>
    public async Task<(int Code, bool Loads)> LintAsync(DirectoryInfo folder, CancellationToken cancellationToken)
    {
        if (RuleFolder.Read(folder, console) is not { } sources)
        {
            return (ExitCodes.Usage, false);
        }
        // Lint's findings are the compiler's: exactly what a reload would refuse or warn about.
        var build = await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken);
        var findings = build.Problems;
        foreach (var finding in findings)
        {
            // A finding quotes the rule files: through the door request values take, so a file cannot drive the terminal.
            await console.Out.WriteLineAsync(Contracts.Privacy.Clean(finding.ToString()));
        }
        var errors = findings.Count(f => f.Severity == ProblemSeverity.Error);
        var warnings = findings.Count - errors;
        if (findings.Count == 0)
        {
            var rules = build.RuleSet!.Workflows.Sum(w => w.Rules.Count);
            await console.Out.WriteLineAsync($"OK: {folder.FullName} (version {sources.Version}, {rules} rules): no findings.");
            return (ExitCodes.Clean, true);
        }
        await console.Out.WriteLineAsync(
            $"{errors} error(s), {warnings} warning(s). " + (build.Accepted
                ? "The service would load these rules, but fix the findings above first."
                : "The service would refuse these rules and keep serving the last good ones."));
        return (ExitCodes.Findings, build.Accepted);
    }
}
