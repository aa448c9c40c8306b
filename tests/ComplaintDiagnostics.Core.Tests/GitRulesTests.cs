using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.History;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>The rules folder in a real Git repository (the git command line, as in production): the commits that
/// touched it with what each changed, and its files at any revision, read without touching the working tree.</summary>
public sealed class GitRulesTests : IDisposable
{
    private readonly TempGitRepo _repo = new(RepoPaths.EngineFixture);

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void CommitsThatTouchedTheRulesAreListedNewestFirstWithWhatEachChanged()
    {
        var first = _repo.Commit("Start from the fixture rules");
        var firstVersion = RuleSources.ReadFolder(_repo.Rules).Version;
        File.WriteAllText(Path.Combine(_repo.Root, "README.md"), "not a rule file");
        _repo.Commit("Docs only", "Someone Else <else@example.invalid>");
        _repo.Edit("replies.json", "兜底。", "兜底（新）。");
        _repo.Edit("workflows/main.json", "\"R4_Fallback\"", "\"R4_Otherwise\"");
        var second = _repo.Commit("Fallback: clearer reply; rename the last row", "Zhang Min <zhang.min@noc.example>");

        var git = GitRules.Find(_repo.Rules)!;
        var log = git.Log(20);

        Assert.Equal("rules/", git.Prefix);
        Assert.Equal([second, first], log.Select(c => c.Hash));
        Assert.Equal("Zhang Min", log[0].Author);
        Assert.Equal("Fallback: clearer reply; rename the last row", log[0].Message);
        Assert.Equal(RuleSources.ReadFolder(_repo.Rules).Version, log[0].Version);
        Assert.Equal(firstVersion, log[1].Version);
        Assert.Equal(["Main/R4_Otherwise"], log[0].Changes.Added);
        Assert.Equal(["Main/R4_Fallback"], log[0].Changes.Removed);
        Assert.Equal(["reply fallback"], log[0].Changes.Modified);
        // The first commit added everything: rules, replies, causes, actions and the manifest.
        Assert.Contains("Main/R1_First", log[1].Changes.Added);
        Assert.Contains("reply first", log[1].Changes.Added);
        Assert.Contains("manifest", log[1].Changes.Added);
    }

    [Fact]
    public void FilesAtARevisionComeFromGitNotFromTheWorkingTree()
    {
        _repo.Commit("v1");
        var v1 = RuleSources.ReadFolder(_repo.Rules);
        _repo.Edit("replies.json", "兜底。", "兜底（二）。");
        _repo.Commit("v2");
        var v2 = RuleSources.ReadFolder(_repo.Rules);
        _repo.Edit("replies.json", "兜底（二）。", "兜底（未提交）。");
        var status = _repo.Git("status", "--porcelain");

        var git = GitRules.Find(_repo.Rules)!;

        Assert.Equal(v1.Version, git.ReadAt("HEAD~1").Version);
        Assert.Equal(v2.Version, git.ReadAt("HEAD").Version);
        Assert.Equal(v1.Files, git.ReadAt("HEAD~1").Files);
        Assert.Contains("兜底（未提交）。", File.ReadAllText(Path.Combine(_repo.Rules, "replies.json")), StringComparison.Ordinal);
        Assert.Equal(status, _repo.Git("status", "--porcelain"));
    }

    [Theory]
    [InlineData("no-such-tag")]
    [InlineData("HEAD~5")]
    [InlineData("--output=/tmp/x")]
    public void AnUnknownRevisionIsAClearErrorNotACrash(string revision)
    {
        _repo.Commit("only");

        var error = Assert.Throws<GitRulesException>(() => GitRules.Find(_repo.Rules)!.ReadAt(revision));

        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void AFolderOutsideAnyRepositoryHasNoGitHistory()
    {
        using var plain = new TempRulesFolder(RepoPaths.EngineFixture);

        Assert.Null(GitRules.Find(plain.Path));
        Assert.Null(GitRules.Find(Path.Combine(plain.Path, "no-such-folder")));
    }
}

/// <summary>Git's output is data, not a format: names, messages and paths in a rules repository are whatever someone
/// committed. A separator byte in an author's name used to hide a commit (its rules in service, the commit not in the
/// history) or end the history in a 500; a file name that is not UTF-8 crashed <c>check --baseline</c>.</summary>
public sealed class HostileGitTests : IDisposable
{
    private readonly TempGitRepo _repo = new(RepoPaths.EngineFixture);

    public void Dispose() => _repo.Dispose();

    public static TheoryData<string, string> HostileNames => new()
    {
        { "Record\u001eSeparator", "An ordinary subject" },
        { "Unit\u001fSeparator", "An ordinary subject" },
        { "Li Wei", "Subject with \u001e and \u001f and\ttab" },
        { "Zhang \u0001Min\u007f", "标题 \u2028 with a line separator" },
        { "Robert'); DROP TABLE rules;--", "\"quoted\" 'and' \\ backslash %x00 %n" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void EveryCommitIsListedWithItsAuthorAndMessageAsWritten(string author, string subject)
    {
        var first = _repo.Commit("Start");
        _repo.Edit("replies.json", "兜底。", "兜底（新）。");
        var hostile = _repo.Commit(subject, $"{author} <x@example.invalid>");
        _repo.Edit("replies.json", "兜底（新）。", "兜底（再）。");
        var last = _repo.Commit("After it");

        var log = GitRules.Find(_repo.Rules)!.Log(20);

        Assert.Equal([last, hostile, first], log.Select(c => c.Hash));
        Assert.Equal(author, log[1].Author);
        Assert.Equal(subject, log[1].Message);
        Assert.Equal(["reply fallback"], log[1].Changes.Modified);
    }

    [Fact]
    public void AFileNameThatIsNotUtf8IsReadByItsObjectNotItsPath()
    {
        _repo.Commit("Start");
        // Bytes no string can hold, so the shell writes the name: \xff\xfe is not UTF-8.
        Shell("cp rules/workflows/main.json \"rules/workflows/$(printf 'x\\377\\376.json')\" && git add -A && git commit -q -m 'a file named in GBK'");

        var git = GitRules.Find(_repo.Rules)!;
        var files = git.ReadAt("HEAD");
        var log = git.Log(20);

        Assert.Equal(4, files.WorkflowFiles.Count());
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void ACommittedLinkIsRefusedAsARuleFileWithAMessage()
    {
        _repo.Commit("Start");
        File.CreateSymbolicLink(Path.Combine(_repo.Rules, "workflows", "zz-link.json"), "/etc/passwd");
        _repo.Commit("a link");

        var git = GitRules.Find(_repo.Rules)!;

        var refused = Assert.Throws<GitRulesException>(() => git.ReadAt("HEAD"));
        Assert.Contains("workflows/zz-link.json is a symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, git.Log(20).Count);
    }

    private void Shell(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", script]) { WorkingDirectory = _repo.Root, RedirectStandardError = true };
        using var bash = System.Diagnostics.Process.Start(start)!;
        var error = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, error);
    }
}
