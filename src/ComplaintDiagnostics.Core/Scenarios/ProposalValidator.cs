using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Scenarios;

/// <summary>What a proposed rule set would do: lint's findings and the scenario results, without loading it.</summary>
public sealed record ValidationReport(
    bool Valid,
    string Version,
    IReadOnlyList<RuleProblem> Problems,
    IReadOnlyList<string> ScenarioFileErrors,
    IReadOnlyList<ScenarioResult> Scenarios)
{
    /// <summary>The proposed rules compiled, when they compile (not part of the report's JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RuleSet? Rules { get; init; }

    public int ScenariosPassed => Scenarios.Count(s => s.Passed);
    public int ScenariosFailed => Scenarios.Count(s => !s.Passed);
}

/// <summary>Checks a proposed edit: the proposed files laid over a base rule set (a file given as null is
/// deleted), compiled exactly as a reload would, then the scenarios run against it. Nothing is loaded.</summary>
public sealed class ProposalValidator(ScenarioRunner runner, TimeProvider time)
{
    /// <summary>A proposed file's path as the rules folder has it: '/' between folders, no leading '/'.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace('\\', '/').TrimStart('/');
    }

    /// <summary>Why a proposed file would change nothing if saved, because a reload does not read it (a folder typo such
    /// as <c>workflow/data.json</c>, a path out of the folder, a README), or null for a file a reload reads.</summary>
    public static string? NotRead(string name) =>
        Normalize(name) is var path && (RuleSources.IsRuleFile(path) || ScenarioFiles.IsScenarioFile(path))
            ? null
            : $"not a file the service reads from the rules folder, so this edit would change nothing: use {RuleSources.ManifestFile}, "
                + $"{RuleSources.CausesFile}, {RuleSources.RepliesFile}, {RuleSources.ActionsFile}, {RuleSources.NotifyFile}, {RuleSources.TicketMappingFile}, "
                + $"{RuleSources.WorkflowsFolder}<name>.json or {ScenarioFiles.Folder}<name>.json.";

    public async Task<ValidationReport> ValidateAsync(
        IReadOnlyDictionary<string, string?> proposed,
        IReadOnlyDictionary<string, string> baseFiles,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(baseFiles);
        var files = baseFiles.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (name, text) in proposed)
        {
            var key = Normalize(name);
            if (text is null)
            {
                files.Remove(key);
            }
            else
            {
                files[key] = text;
            }
        }
        var scenarioFiles = files.Where(f => ScenarioFiles.IsScenarioFile(f.Key))
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var sources = new RuleSources(files.Where(f => !scenarioFiles.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value));

        // Lint's findings are the compiler's: exactly what a reload would refuse or warn about.
        var build = await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var findings = build.Problems;
        var (scenarios, fileErrors) = ScenarioFiles.Parse(scenarioFiles);
        var results = build.RuleSet is { } rules
            ? await runner.RunAsync(rules, scenarios, cancellationToken).ConfigureAwait(false)
            : [];
        var valid = build.Accepted && findings.All(f => f.Severity != ProblemSeverity.Error)
            && fileErrors.Count == 0 && results.All(r => r.Passed);
        return new ValidationReport(valid, sources.Version, findings, fileErrors, results) { Rules = build.RuleSet };
    }
}
