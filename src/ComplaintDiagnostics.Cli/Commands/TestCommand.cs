using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Scenarios;

namespace ComplaintDiagnostics.Cli.Commands;

/// <summary><c>test</c>: runs the scenarios beside the rules; exit 1 when any fails or the rules are refused.</summary>
internal sealed class TestCommand(ConsoleOutput console, TimeProvider time, ScenarioRunner runner)
{
    public async Task<int> RunAsync(DirectoryInfo folder, CancellationToken cancellationToken)
    {
        if (RuleFolder.Read(folder, console) is not { } sources)
        {
            return ExitCodes.Usage;
        }
        Dictionary<string, string> files;
        try
        {
            files = await ScenarioFiles.ReadFolderAsync(folder.FullName, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"Cannot read the scenarios under '{folder.FullName}': {ex.Message}");
            return ExitCodes.Usage;
        }
        var (scenarios, fileErrors) = ScenarioFiles.Parse(files);
        if (fileErrors.Count > 0)
        {
            foreach (var fileError in fileErrors)
            {
                await console.Error.WriteLineAsync(Clean(fileError));
            }
            return ExitCodes.Usage;
        }
        if (scenarios.Count == 0)
        {
            await console.Out.WriteLineAsync($"No scenarios under {Path.Combine(folder.FullName, ScenarioFiles.Folder)}: nothing was checked.");
            return ExitCodes.Findings;
        }
        var build = await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken);
        if (build.RuleSet is not { } rules)
        {
            await console.Out.WriteLineAsync("The rules do not load, so no scenario can run:");
            foreach (var problem in build.Errors)
            {
                await console.Out.WriteLineAsync("  " + Clean(problem.ToString()));
            }
            return ExitCodes.Findings;
        }

        var results = await runner.RunAsync(rules, scenarios, cancellationToken);
        foreach (var result in results)
        {
            await console.Out.WriteLineAsync($"{(result.Passed ? "PASS" : "FAIL")}  {Clean(result.Name)}");
            foreach (var difference in result.Differences)
            {
                await console.Out.WriteLineAsync($"        {Clean(difference)}");
            }
            if (!result.Passed)
            {
                await console.Out.WriteLineAsync($"        (winning rule: {Clean(result.MatchedRule)}; scenario in {Clean(result.File)})");
            }
        }
        var failed = results.Count(r => !r.Passed);
        await console.Out.WriteLineAsync($"Scenarios of rules {rules.Version}: {results.Count - failed} passed, {failed} failed.");
        return failed == 0 ? ExitCodes.Clean : ExitCodes.Findings;
    }

    /// <summary>Scenario names, expectations and findings are the rule files' text: through the door request values take,
    /// so a file cannot forge a PASS line or drive the terminal.</summary>
    private static string Clean(string? text) => Contracts.Privacy.Clean(text);
}
