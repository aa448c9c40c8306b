using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The service on a rules folder inside a real Git repository: <c>/api/v1/rules/history</c> shows the commits
/// that touched it, with author and message, the same from a second service and after a restart.</summary>
public sealed class GitHistoryTests : IDisposable
{
    private readonly TempGitRepo _repo = new(RepoPaths.EngineFixture);

    public void Dispose() => _repo.Dispose();

    private static async Task<JsonElement> HistoryOf(ServiceFactory service)
    {
        using var client = service.CreateClient();
        return await client.GetJsonAsync("/api/v1/rules/history");
    }

    [Fact]
    public async Task ACommitShowsWithItsAuthorAndMessageOnEveryReplicaAndAfterARestart()
    {
        _repo.Commit("Start from the fixture rules");
        string edited;
        using (var first = ServiceFactory.Serving(_repo.Rules))
        {
            using var client = first.CreateClient();
            var before = await client.DiagnoseAsync(Complaint.Data());
            _repo.Edit("replies.json", "兜底。", "兜底，我们会尽快处理。");
            var hash = _repo.Commit("Fallback reply: say what happens next", "Zhang Min <zhang.min@noc.example>");
            edited = Core.Rules.RuleSources.ReadFolder(_repo.Rules).Version;
            await HttpClientExtensions.Eventually(async () => (await client.DiagnoseAsync(Complaint.Data())).RulesVersion == edited,
                HttpClientExtensions.ReloadDeadline, "the committed edit is served");

            var history = await HistoryOf(first);

            Assert.Equal("git", history.GetProperty("source").GetString());
            Assert.Equal("rules/", history.GetProperty("folder").GetString());
            var newest = history.GetProperty("commits")[0];
            Assert.Equal(hash, newest.GetProperty("hash").GetString());
            Assert.Equal("Zhang Min", newest.GetProperty("author").GetString());
            Assert.Equal("Fallback reply: say what happens next", newest.GetProperty("message").GetString());
            Assert.Equal(edited, newest.GetProperty("version").GetString());
            Assert.Equal(["reply fallback"], newest.GetProperty("changes").GetProperty("modified").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(before.RulesVersion, history.GetProperty("commits")[1].GetProperty("version").GetString());
            // This replica's own loads are there too: the start and the reload.
            Assert.Equal(2, history.GetProperty("loaded").GetArrayLength());
        }

        // A restart (or another replica on the same repository) knows nothing of the loads, everything of the commits.
        using var restarted = ServiceFactory.Serving(_repo.Rules);
        var after = await HistoryOf(restarted);

        Assert.Equal(2, after.GetProperty("commits").GetArrayLength());
        Assert.Equal("Zhang Min", after.GetProperty("commits")[0].GetProperty("author").GetString());
        Assert.Equal(edited, after.GetProperty("commits")[0].GetProperty("version").GetString());
        Assert.Equal(1, after.GetProperty("loaded").GetArrayLength());
    }
}
