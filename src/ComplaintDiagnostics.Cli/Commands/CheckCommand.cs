using ComplaintDiagnostics.Core.Rules.History;

namespace ComplaintDiagnostics.Cli.Commands;

/// <param name="FromStore">Instead of <paramref name="Tickets"/>: the service's decision record, as <c>replay --from-store</c>
/// reads it (the figures a proposal's check gives).</param>
internal sealed record CheckOptions(DirectoryInfo Rules, FileInfo? Tickets, string? Baseline, bool AllowRegression, string? FromStore = null, string? Since = null);

/// <summary>
/// <c>check</c>: the one gate for a proposed edit, as the pre-commit hook and CI run it: lint, the scenarios, and (with
/// tickets) the replay compare against a baseline, each with its own output, then one summary and one exit code
/// (0 only when every step passed). Without <c>--baseline</c>, a rules folder in Git is compared with <c>HEAD</c>: what
/// the edit changes against what was last committed.
/// </summary>
internal sealed class CheckCommand(ConsoleOutput console, LintCommand lint, TestCommand test, ReplayCommand replay)
{
    public async Task<int> RunAsync(CheckOptions options, CancellationToken cancellationToken)
    {
        var steps = new List<(string Step, string Result, string Detail)>();

        await Heading("lint");
        var (lintCode, loads) = await lint.LintAsync(options.Rules, cancellationToken);
        if (lintCode == ExitCodes.Usage)
        {
            return ExitCodes.Usage;
        }
        steps.Add(("lint", Result(lintCode), lintCode == ExitCodes.Clean ? "no findings" : loads ? "warnings: see above" : "the service would refuse these rules"));

        if (!loads)
        {
            steps.Add(("scenarios", "SKIPPED", "the rules do not load"));
            steps.Add(("compare", "SKIPPED", "the rules do not load"));
            return await SummaryAsync(steps);
        }

        await Heading("scenarios");
        var testCode = await test.RunAsync(options.Rules, cancellationToken);
        steps.Add(("scenarios", Result(testCode), testCode == ExitCodes.Clean ? "every scenario passed" : "see the failures above"));

        if (options.Tickets is null && options.FromStore is null)
        {
            steps.Add(("compare", "SKIPPED", "no --tickets or --from-store given"));
            return await SummaryAsync(steps);
        }
        var baseline = options.Baseline ?? DefaultBaseline(options.Rules);
        await Heading(baseline is null ? "replay" : $"replay, compared with {baseline}");
        var (replayCode, summary, accepted) = await replay.ReplayHistoryAsync(new ReplayOptions(
            options.Tickets ?? new FileInfo("-"), options.Rules, null, baseline, null, null, null, options.AllowRegression,
            FromStore: options.FromStore, Since: options.Since), cancellationToken);
        steps.Add((baseline is null ? "replay" : "compare", Result(replayCode), summary ?? "did not run (see above)"));
        return await SummaryAsync(steps, accepted);
    }

    /// <summary>HEAD of the repository around the rules, when there is one with a commit.</summary>
    private static string? DefaultBaseline(DirectoryInfo rules) =>
        GitRules.Find(rules.FullName)?.CommitOf("HEAD") is null ? null : "HEAD";

    private static string Result(int code) => code == ExitCodes.Clean ? "PASS" : "FAIL";

    private Task Heading(string step) => console.Out.WriteLineAsync($"{Environment.NewLine}== {step} ==");

    /// <param name="accepted">Causes whose regression --allow-regression let through: said in the verdict, never a plain PASS.</param>
    private async Task<int> SummaryAsync(List<(string Step, string Result, string Detail)> steps, IReadOnlyList<string>? accepted = null)
    {
        var failed = steps.Where(s => s.Result == "FAIL").Select(s => s.Step).ToList();
        await console.Out.WriteLineAsync($"{Environment.NewLine}== check summary ==");
        foreach (var (step, result, detail) in steps)
        {
            await console.Out.WriteLineAsync($"  {step,-10} {result,-8} {detail}");
        }
        if (failed.Count > 0)
        {
            await console.Out.WriteLineAsync($"check: FAIL ({string.Join(", ", failed)}). Fix the findings above before proposing the edit.");
            return ExitCodes.Findings;
        }
        await console.Out.WriteLineAsync(accepted is { Count: > 0 }
            ? $"check: PASS, regression accepted: {string.Join(", ", accepted)}. The edit may be proposed; its approver accepts the regression again, under their name."
            : "check: PASS. The edit may be proposed.");
        return ExitCodes.Clean;
    }
}
