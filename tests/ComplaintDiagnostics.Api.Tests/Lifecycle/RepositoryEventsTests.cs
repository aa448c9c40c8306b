using System.Diagnostics;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;
using static ComplaintDiagnostics.Api.Tests.Lifecycle.ReleaseLifecycleTests;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// Replicas sharing a rules repository on disk (deploy/local) follow its branches by file events: an activation made
/// through one replica is served by another long before its next poll (here a minute away).
/// </summary>
public sealed class RepositoryEventsTests : IDisposable
{
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task AnActivationThroughOneReplicaReachesAnotherWithoutWaitingForItsPoll()
    {
        _repo.Commit("The shipped rules");
        var settings = Settings(_repo.Root, new() { ["Rules:PollSeconds"] = "60" });
        using var a = ServiceFactory.Serving(_repo.Rules, settings);
        using var b = ServiceFactory.Serving(_repo.Rules, settings);
        var first = a.CreateClient();
        var second = b.CreateClient();
        Assert.Equal("1", (await DiagnoseArrearsAsync(second)).Release);

        var reply = File.ReadAllText(Path.Combine(_repo.Rules, "replies.json")).Replace("上网功能已暂停", "上网功能已暂停，缴费后约五分钟恢复", StringComparison.Ordinal);
        var id = (await Json(first, HttpMethod.Post, "/api/v1/proposals", Alice, Body("Clearer arrears reply", "replies.json", reply), System.Net.HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        await Json(first, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", Bob, "{}");
        var clock = Stopwatch.StartNew();
        await Json(first, HttpMethod.Post, "/api/v1/releases/2/activate", Olga, """{"reason":"approved reply wording"}""");

        await HttpClientExtensions.Eventually(async () => (await second.GetStringAsync(new Uri("/api/v1/rules", UriKind.Relative))).Contains("\"release\":2", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "release 2 on the other replica");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed}"); // Its poll is 60 s away.
        Assert.Equal("2", (await DiagnoseArrearsAsync(second)).Release);
    }
}
