namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>check</c>, the one gate for an edit (lint, scenarios, compare), and the pre-commit hook in
/// <c>rules/hooks</c> that runs it, installed with one command into a real Git repository.</summary>
public sealed class CheckTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cd-check-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<string> Tickets(int count = 400)
    {
        var file = Path.Combine(_work.FullName, "tickets.jsonl");
        Assert.Equal(0, (await CliRun.Of("generate-history", "--out", file, "--count", $"{count}", "--seed", "11")).ExitCode);
        return file;
    }

    [Fact]
    public async Task TheShippedRulesPassEveryStepWithOneSummary()
    {
        var run = await CliRun.Of("check", "--rules", RepoPaths.Rules, "--tickets", await Tickets(), "--baseline", RepoPaths.Rules);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"lint\s+PASS\s+no findings", run.Output);
        Assert.Matches(@"scenarios\s+PASS", run.Output);
        Assert.Matches(@"compare\s+PASS\s+400 tickets, agreement [\d.]+%; 0 change their answer", run.Output);
        Assert.EndsWith("check: PASS. The edit may be proposed." + Environment.NewLine, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesThatDoNotLoadFailLintAndSkipTheRest()
    {
        using var rules = new TempRulesFolder();
        rules.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"When\": { \"inArrers\": true }");

        var run = await CliRun.Of("check", "--rules", rules.Path, "--tickets", await Tickets());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Did you mean 'inArrears'?", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"lint\s+FAIL", run.Output);
        Assert.Matches(@"scenarios\s+SKIPPED\s+the rules do not load", run.Output);
        Assert.Contains("check: FAIL (lint).", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InGitTheCompareIsAgainstHeadAndARegressionFailsTheGate()
    {
        using var repo = new TempGitRepo(RepoPaths.Rules);
        repo.Commit("Rules as shipped");
        // Arrears only counts for OCS now: a scenario of the procedure fails, and so does history.
        repo.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"When\": { \"inArrears\": true, \"billing\": \"ocs\" }");

        var run = await CliRun.Of("check", "--rules", repo.Rules, "--tickets", await Tickets());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("== replay, compared with HEAD ==", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"compare\s+FAIL\s+400 tickets, agreement [\d.]+%; [1-9]\d* change their answer against HEAD \(.*cause [1-9]", run.Output);
        Assert.Matches(@"scenarios\s+FAIL", run.Output);
        Assert.Contains("check: FAIL (scenarios, compare).", run.Output, StringComparison.Ordinal);
    }

    /// <summary>A committed file name that is not UTF-8 (a name saved by a GBK tool) ended <c>check</c> in a stack trace:
    /// the baseline is now read by object, and the compare runs.</summary>
    [Fact]
    public async Task ACommittedFileNameThatIsNotUtf8DoesNotEndTheCheck()
    {
        using var repo = new TempGitRepo(RepoPaths.Rules);
        repo.Commit("Rules as shipped");
        var start = new System.Diagnostics.ProcessStartInfo("bash",
            ["-c", "cp rules/workflows/priority.json \"rules/workflows/$(printf 'x\\377\\376.json')\" && git add -A && git commit -q -m 'GBK name' "
                + "&& git rm -q \"rules/workflows/$(printf 'x\\377\\376.json')\" && git commit -q -m 'renamed away'"])
            { WorkingDirectory = repo.Root };
        using (var bash = System.Diagnostics.Process.Start(start)!)
        {
            await bash.WaitForExitAsync();
            Assert.Equal(0, bash.ExitCode);
        }

        // The working tree no longer has the file (a name that is not UTF-8 refuses a folder); the baseline, HEAD~1, does.
        var run = await CliRun.Of("check", "--rules", repo.Rules, "--tickets", await Tickets(), "--baseline", "HEAD~1");

        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("== replay, compared with HEAD~1 ==", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ThePreCommitHookRefusesABrokenEditAndLetsAGoodOneThrough()
    {
        using var repo = await WithHookAsync();
        var shipped = repo.Commit("Rules as shipped");

        repo.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"When\": { \"inArrers\": true }");
        repo.Git("add", "-A");
        var refused = repo.TryGit("commit", "-m", "Arrears row (typo)");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Did you mean 'inArrears'?", refused.Output, StringComparison.Ordinal);
        Assert.Contains("check: FAIL (lint).", refused.Output, StringComparison.Ordinal);
        Assert.Equal(shipped, repo.Git("rev-parse", "HEAD").Trim());

        repo.Edit("workflows/data.json", "\"When\": { \"inArrers\": true }", "\"When\": { \"inArrears\": true }");
        repo.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        repo.Git("add", "-A");
        var accepted = repo.TryGit("commit", "-m", "Outage reply: more reassuring");

        Assert.True(accepted.ExitCode == 0, accepted.Output);
        Assert.Contains("== replay, compared with HEAD ==", accepted.Output, StringComparison.Ordinal);
        Assert.Contains("check: PASS.", accepted.Output, StringComparison.Ordinal);
        Assert.NotEqual(shipped, repo.Git("rev-parse", "HEAD").Trim());
    }

    /// <summary>A regression let through is said so, in the verdict and in the hook, never as a plain PASS; the hook lets it
    /// through only with its documented setting.</summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AnAcceptedRegressionIsNamedInTheVerdictAndTheHookNeedsItsSettingToLetItThrough()
    {
        using var repo = await WithHookAsync();
        var shipped = repo.Commit("Rules as shipped");
        // Arrears answered as a disabled feature, the scenarios saying so too: only the history disagrees.
        repo.Edit("workflows/data.json", "\"cause\": \"ACCOUNT_ARREARS\", \"route\"", "\"cause\": \"DATA_FEATURE_DISABLED\", \"route\"");
        var scenarios = Path.Combine(repo.Rules, "tests", "domain.json");
        File.WriteAllText(scenarios, File.ReadAllText(scenarios).Replace("\"cause\": \"ACCOUNT_ARREARS\"", "\"cause\": \"DATA_FEATURE_DISABLED\"", StringComparison.Ordinal));
        repo.Git("add", "-A");

        var refused = repo.TryGit("commit", "-m", "Arrears as a disabled feature");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("check: FAIL (compare).", refused.Output, StringComparison.Ordinal);
        Assert.Equal(shipped, repo.Git("rev-parse", "HEAD").Trim());

        repo.Git("config", "complaint-diagnostics.allowRegression", "true");
        var accepted = repo.TryGit("commit", "-m", "Arrears as a disabled feature, regression accepted");
        Assert.True(accepted.ExitCode == 0, accepted.Output);
        Assert.Contains("check: PASS, regression accepted: ACCOUNT_ARREARS.", accepted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("check: PASS.", accepted.Output, StringComparison.Ordinal);
    }

    /// <summary>A repository of the shipped rules with the pre-commit hook installed by the one documented command, the
    /// tickets setting, and the CLI this build produced.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<TempGitRepo> WithHookAsync()
    {
        var repo = new TempGitRepo(RepoPaths.Rules);
        var hook = Path.Combine(repo.Rules, "hooks", "pre-commit");
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        File.Copy(Path.Combine(RepoPaths.Rules, "hooks", "pre-commit"), hook);
        File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.UserExecute);
        repo.Git("config", "core.hooksPath", "rules/hooks");
        repo.Git("config", "complaint-diagnostics.tickets", await Tickets(200));
        repo.Environment["CD_CHECK"] = Path.Combine(AppContext.BaseDirectory, "complaint-diagnostics");
        return repo;
    }
}
