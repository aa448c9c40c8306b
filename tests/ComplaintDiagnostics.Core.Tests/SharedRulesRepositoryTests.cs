using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// Two clones of one shared rules repository (<c>Rules:Remote</c>) writing the lifecycle: a change decided on a state
/// another clone has since moved loses its push's lease, reads the shared state again and is decided again on it, so the
/// two writers never both land; nothing is left half-written on the shared repository.
/// </summary>
public sealed class SharedRulesRepositoryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
    private readonly TempGitRepo _work = new(RepoPaths.EngineFixture);
    private readonly string _server;

    public SharedRulesRepositoryTests()
    {
        _work.Commit("Start from the fixture rules");
        _server = Path.Combine(Path.GetTempPath(), $"cd-shared-{Guid.NewGuid():N}.git");
        _work.Git("clone", "--bare", "--quiet", _work.Root, _server);
    }

    public void Dispose()
    {
        foreach (var folder in new[] { _server, Clone("x"), Clone("y") }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
        _work.Dispose();
    }

    private string Clone(string name) => $"{_server}-{name}";

    [Fact]
    public void AChangeDecidedOnAStaleStateIsDecidedAgainOnTheSharedOne()
    {
        var x = RulesRepository.Open(Clone("x"), _server);
        var y = RulesRepository.Open(Clone("y"), _server);
        var head = x.CommitOf("HEAD")!;
        Assert.Equal(head, y.CommitOf("HEAD"));

        // x decides to make release 1; before its push, y makes it (a replica starting at the same moment).
        var decided = 0;
        var release = x.Change("x", At, state =>
        {
            if (decided++ == 0)
            {
                y.Change("y", At, s => LifecycleTransitions.FirstRelease(s, head, ["Li Wei"], "y", At));
            }
            return LifecycleTransitions.FirstRelease(state, head, ["Li Wei"], "x", At);
        });

        Assert.Equal(2, decided); // Its push refused by the lease, and decided again on y's state: nothing left to do.
        Assert.Equal(1, release.Number);
        Assert.Equal(["y: release 1: the default branch's head, active"], ServerGit("log", "--format=%an: %s", "lifecycle").Split('\n'));
        Assert.Equal("release/1", ServerGit("tag", "--list"));
        Assert.Equal(ServerGit("rev-parse", "lifecycle"), x.CommitOf(RulesRepository.LifecycleBranch)); // x follows what landed.
    }

    [Fact]
    public void AReleaseNumberTakenOnTheSharedRepositoryIsNeverPushedOver()
    {
        var x = RulesRepository.Open(Clone("x"), _server);
        var head = x.CommitOf("HEAD")!;
        // A tag release/1 someone pushed by hand: the lifecycle's release 1 would be another commit under the same name.
        _work.Git("commit", "--allow-empty", "-q", "-m", "not a release");
        _work.Git("push", "-q", _server, "HEAD:refs/tags/release/1");
        x.Sync();
        var hand = ServerGit("rev-parse", "release/1");

        var refused = Assert.Throws<LifecycleException>(() => x.Change("x", At, s => LifecycleTransitions.FirstRelease(s, head, ["Li Wei"], "x", At)));

        Assert.Equal(LifecycleRefusal.Conflict, refused.Refusal);
        Assert.Equal(hand, ServerGit("rev-parse", "release/1"));
        Assert.NotEqual(0, _work.TryGit("--git-dir", _server, "rev-parse", "--verify", "-q", "lifecycle").ExitCode); // All or nothing.
    }

    [Fact]
    public void AnUnreachableSharedRepositoryIsNamedAndLeavesTheCloneAsItWas()
    {
        var x = RulesRepository.Open(Clone("x"), _server);
        Directory.Move(_server, _server + ".away");
        try
        {
            var error = Assert.Throws<Core.Rules.History.GitRulesException>(x.Sync);
            Assert.Contains($"the shared rules repository {_server}", error.Message, StringComparison.Ordinal);
            Assert.NotNull(x.CommitOf("HEAD"));
            Assert.Throws<Core.Rules.History.GitRulesException>(() => RulesRepository.Open(Clone("y"), _server));
            Assert.False(Directory.Exists(Clone("y"))); // A clone cut short is never taken for a clone.
        }
        finally
        {
            Directory.Move(_server + ".away", _server);
        }
    }

    [Theory]
    [InlineData("https://noc:s3cret@git.example.com/noc/rules.git", true)]
    [InlineData("https://ghp_token0123456789@git.example.com/noc/rules.git", true)]
    [InlineData("https://git.example.com/noc/rules.git?private_token=abc", true)]
    [InlineData("--upload-pack=touch /tmp/x", true)]
    [InlineData("https://git.example.com/noc/rules.git", false)]
    [InlineData("ssh://git@git.example.com/noc/rules.git", false)]
    [InlineData("git@git.example.com:noc/rules.git", false)]
    [InlineData("/srv/git/rules.git", false)]
    public void CredentialsOrAnOptionInTheRemoteAreRefusedAtStart(string remote, bool refused)
    {
        var options = new RulesOptions { Source = RulesOptions.ReleaseSource, Repository = "/tmp/clone", Remote = remote };
        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Equal(refused, problems.Any(p => p.MemberNames.Contains(nameof(RulesOptions.Remote))));
    }

    private string ServerGit(params string[] args) => _work.Git(["--git-dir", _server, .. args]).Trim();
}
