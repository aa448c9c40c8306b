using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>propose</c> sends a working copy of the rules to a service in release mode: only what differs from the
/// active release becomes the proposal, by the person whose key it sends, and its check is printed.</summary>
public sealed class ProposeTests : IDisposable
{
    private const string AuthorKey = "alice-key-5e0c3b9d71a24f68";
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);
    private readonly TempRulesFolder _workingCopy = new();

    public void Dispose()
    {
        _repo.Dispose();
        _workingCopy.Dispose();
        Environment.SetEnvironmentVariable("COMPLAINT_DIAGNOSTICS_KEY", null);
    }

    [Fact]
    public async Task AWorkingCopysChangedFilesBecomeAProposalByTheKeysOwnerWithItsCheck()
    {
        _repo.Commit("The shipped rules");
        var port = Loopback.FreePort();
        using var service = ServiceFactory.Serving(_repo.Rules, new Dictionary<string, string>
        {
            ["Rules:Source"] = "release", ["Rules:Repository"] = _repo.Root,
            ["Security:Users:0:Name"] = "alice", ["Security:Users:0:Key"] = AuthorKey, ["Security:Users:0:Roles"] = "author",
        });
        service.UseKestrel(port);
        service.StartServer();
        var url = $"http://127.0.0.1:{port}";

        var anonymous = await CliRun.Of("propose", "--rules", _workingCopy.Path, "--service", url, "--title", "x");
        Assert.Equal(2, anonymous.ExitCode);
        Assert.Contains("COMPLAINT_DIAGNOSTICS_KEY", anonymous.Error, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("COMPLAINT_DIAGNOSTICS_KEY", AuthorKey);
        var unchanged = await CliRun.Of("propose", "--rules", _workingCopy.Path, "--service", url, "--title", "nothing");
        Assert.Equal(1, unchanged.ExitCode);
        Assert.Contains("changes nothing", unchanged.Error, StringComparison.Ordinal);

        _workingCopy.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        var proposed = await CliRun.Of("propose", "--rules", _workingCopy.Path, "--service", url, "--title", "Outage reply: first notice");

        Assert.True(proposed.ExitCode == 0, proposed.Output + proposed.Error);
        Assert.Contains("Proposal p1 by alice on release 1: replies.json", proposed.Output, StringComparison.Ordinal);
        Assert.Contains("propose: proposed; its check passes.", proposed.Output, StringComparison.Ordinal);
        Assert.Equal("alice", _repo.Git("log", "-1", "--format=%an", "proposals/p1").Trim());
    }
}
