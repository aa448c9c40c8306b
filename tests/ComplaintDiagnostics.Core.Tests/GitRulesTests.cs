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
