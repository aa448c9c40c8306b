using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;
using static ComplaintDiagnostics.Api.Tests.Lifecycle.ReleaseLifecycleTests;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// Two replicas with no disk in common (deploy/k8s), each on its own clone of one shared rules repository
/// (<c>Rules:Remote</c>, here a bare repository served by path as a Git server would serve it): one lifecycle between them,
/// what one replica does the other sees, two approvals racing from the two replicas land exactly once, an activation made
/// on one reaches the other, and a shared repository gone away keeps both serving and writes nothing.
/// </summary>
public sealed class SharedRepositoryTests : IDisposable
{
    private const string ArrearsText = "上网功能已暂停";
    private const string NewArrearsText = "上网功能已暂停，缴费后约五分钟恢复";

    private readonly TempGitRepo _work = new(RepoPaths.Rules);
    private readonly string _server;
    private readonly ServiceFactory _a;
    private readonly ServiceFactory _b;

    public SharedRepositoryTests()
    {
        _work.Commit("The shipped rules");
        _server = Path.Combine(Path.GetTempPath(), $"cd-shared-{Guid.NewGuid():N}.git");
        _work.Git("clone", "--bare", "--quiet", _work.Root, _server);
        _a = Replica("a");
        _b = Replica("b");
    }

    private ServiceFactory Replica(string name) => ServiceFactory.Serving(_work.Rules, Settings(
        $"{_work.Root}-replica-{name}", new() { ["Rules:Remote"] = _server, ["Rules:PollSeconds"] = "0.5" }));

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        foreach (var folder in new[] { _server, $"{_work.Root}-replica-a", $"{_work.Root}-replica-b" }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
        _work.Dispose();
    }

    [Fact]
    public async Task ReplicasOnTheirOwnClonesShareOneLifecycle()
    {
        var a = _a.CreateClient();
        var b = _b.CreateClient();

        // Both started together on a repository with no release: one release 1, on the shared repository.
        var first = await Json(a, HttpMethod.Get, "/api/v1/releases", Olga);
        Assert.True(first.TryGetProperty("active", out var active) && active.GetInt32() == 1, first.ToString() + await a.GetStringAsync(new Uri("/api/v1/rules/status", UriKind.Relative)));
        var seen = await Json(b, HttpMethod.Get, "/api/v1/releases", Olga);
        Assert.True(seen.TryGetProperty("items", out var list) && list.GetArrayLength() == 1, seen.ToString());
        Assert.Equal(["release/1"], ServerGit("tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // Proposed on one replica, seen and approved on the other at once (no poll waited for).
        var reply = File.ReadAllText(Path.Combine(_work.Rules, "replies.json")).Replace(ArrearsText, NewArrearsText, StringComparison.Ordinal);
        var proposal = (await Json(a, HttpMethod.Post, "/api/v1/proposals", Alice, Body("Clearer arrears reply", "replies.json", reply), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        Assert.Equal("open", (await Json(b, HttpMethod.Get, $"/api/v1/proposals/{proposal}", Bob)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(b, HttpMethod.Post, $"/api/v1/proposals/{proposal}/approve", Alice, "{}")).StatusCode);
        Assert.Equal(2, (await Json(b, HttpMethod.Post, $"/api/v1/proposals/{proposal}/approve", Bob, "{}")).GetProperty("release").GetProperty("number").GetInt32());
        Assert.Equal("alice", ServerGit("log", "-1", "--format=%an", $"proposals/{proposal}").Trim());

        // Two approvers on two replicas at the same moment: exactly one approval lands, one release is made.
        var second = (await Json(b, HttpMethod.Post, "/api/v1/proposals", Alice,
            Body("Clearer arrears reply, again", "replies.json", reply.Replace(NewArrearsText, NewArrearsText + "。", StringComparison.Ordinal)), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var raced = await Task.WhenAll(
            Send(a, HttpMethod.Post, $"/api/v1/proposals/{second}/approve", Bob, "{}"),
            Send(b, HttpMethod.Post, $"/api/v1/proposals/{second}/approve", Carol, "{}"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], raced.Select(r => r.StatusCode).Order());
        Assert.Equal(["release/1", "release/2", "release/3"], ServerGit("tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Single(ServerGit("log", "--format=%s", "lifecycle").Split('\n'), s => s.StartsWith($"approve {second}", StringComparison.Ordinal));

        // Activated on one replica: both serve release 2 within their poll.
        await Json(a, HttpMethod.Post, "/api/v1/releases/2/activate", Olga, """{"reason":"approved reply wording"}""");
        Assert.Equal(ServerGit("rev-parse", "release/2^{commit}"), ServerGit("rev-parse", "active"));
        foreach (var replica in new[] { a, b })
        {
            await HttpClientExtensions.Eventually(async () => (await DiagnoseArrearsAsync(replica)).Release == "2", HttpClientExtensions.ReloadDeadline, "release 2 on both");
            Assert.Contains(NewArrearsText, (await DiagnoseArrearsAsync(replica)).Reply);
        }

        // The shared repository gone away: both keep serving release 2, the status says why, and an action writes nothing.
        var moved = _server + ".away";
        Directory.Move(_server, moved);
        try
        {
            await HttpClientExtensions.Eventually(async () => (await a.GetStringAsync(new Uri("/api/v1/rules/status", UriKind.Relative))).Contains("shared rules repository", StringComparison.Ordinal),
                HttpClientExtensions.ReloadDeadline, "the status names the shared repository");
            Assert.Equal("2", (await DiagnoseArrearsAsync(b)).Release);
            var refused = await Send(b, HttpMethod.Post, "/api/v1/releases/1/activate", Olga, """{"reason":"roll back"}""");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("shared rules repository", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Move(moved, _server);
        }
        Assert.Equal(ServerGit("rev-parse", "release/2^{commit}"), ServerGit("rev-parse", "active"));

        // Back: a rollback made on the other replica reaches both.
        await Json(b, HttpMethod.Post, "/api/v1/releases/1/activate", Olga, """{"reason":"roll back"}""");
        foreach (var replica in new[] { a, b })
        {
            await HttpClientExtensions.Eventually(async () => (await DiagnoseArrearsAsync(replica)).Release == "1", HttpClientExtensions.ReloadDeadline, "release 1 on both");
        }
    }

    private string ServerGit(params string[] args) => _work.Git(["--git-dir", _server, .. args]).Trim();
}
