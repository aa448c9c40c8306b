using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintDiagnostics.Samples;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>
/// A proposal's evidence (the check the service keeps with it, and shows on its page) and the CLI's replay and check of
/// the same record against the same change give the same figures: tickets replayed, answers changed, fixed, broken,
/// moved to a new cause.
/// </summary>
public sealed class ProposalEvidenceTests : IDisposable
{
    private const string AuthorKey = "alice-key-3f9a2c71d0b84e55";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cd-evidence-");
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);

    public void Dispose()
    {
        _repo.Dispose();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task TheProposalsCheckAndTheClisReplayOfTheRecordCountTheSame()
    {
        _repo.Commit("The shipped rules");
        var store = Path.Combine(_work.FullName, "decisions.db");
        // D1 answering "data feature disabled" for arrears: many answers change, most of them for the worse.
        var data = File.ReadAllText(Path.Combine(_repo.Rules, "workflows", "data.json"))
            .Replace("\"cause\": \"ACCOUNT_ARREARS\"", "\"cause\": \"DATA_FEATURE_DISABLED\"", StringComparison.Ordinal);
        JsonElement replay;
        using (var service = ServiceFactory.Serving(_repo.Rules, new Dictionary<string, string>
        {
            ["Rules:Source"] = "release", ["Rules:Repository"] = _repo.Root,
            ["Security:Users:0:Name"] = "alice", ["Security:Users:0:Key"] = AuthorKey, ["Security:Users:0:Roles"] = "author",
            ["ConnectionStrings:Decisions"] = $"Data Source={store}", ["Decisions:SpoolPath"] = Path.Combine(_work.FullName, "spool"),
        }))
        {
            using var client = service.CreateClient();
            var history = SyntheticHistory.Generate(300, seed: 11, wrongRate: 0.1).ToList();
            using (var batch = await client.PostAsync(new Uri("/api/v1/diagnose/batch", UriKind.Relative), new StringContent(
                JsonSerializer.Serialize(history.Select(t => t.Request), ComplaintDiagnostics.Contracts.ContractJson.Options), Encoding.UTF8, "application/json")))
            {
                Assert.True(batch.IsSuccessStatusCode);
            }
            await HttpClientExtensions.Eventually(async () =>
                (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("stored").GetInt64() >= history.Count,
                TimeSpan.FromSeconds(20), "the batch on record");
            using (var outcomes = await client.PostAsync(new Uri("/api/v1/outcomes", UriKind.Relative), new StringContent(
                JsonSerializer.Serialize(history.Select(t => new { ticketId = t.Request.TicketId, confirmedCause = t.ConfirmedCause })), Encoding.UTF8, "application/json")))
            {
                Assert.True(outcomes.IsSuccessStatusCode, await outcomes.Content.ReadAsStringAsync());
            }
            using var propose = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/proposals", UriKind.Relative))
            {
                Content = new StringContent(JsonSerializer.Serialize(new { title = "Arrears as a disabled feature", files = new Dictionary<string, string> { ["workflows/data.json"] = data } }),
                    Encoding.UTF8, "application/json"),
            };
            propose.Headers.Add("X-Api-Key", AuthorKey);
            using var proposed = await client.SendAsync(propose);
            var proposal = await proposed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(proposed.IsSuccessStatusCode, proposal.ToString());
            replay = proposal.GetProperty("check").GetProperty("replay").Clone();
        }

        // The CLI on the same record, the same change against the same release.
        var proposalRules = Path.Combine(_work.FullName, "proposal");
        CopyFolder(_repo.Rules, proposalRules);
        File.WriteAllText(Path.Combine(proposalRules, "workflows", "data.json"), data);
        var json = Path.Combine(_work.FullName, "report.json");
        var run = await CliRun.Of("replay", "--from-store", store, "--since", "3650d", "--rules", proposalRules, "--baseline", _repo.Rules, "--json", json);
        var evidence = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(json)).GetProperty("comparison").GetProperty("evidence");

        Assert.True(replay.GetProperty("broken").GetInt32() > 0, replay.ToString());
        foreach (var key in new[] { "tickets", "changed", "fixed", "broken", "movedToNewCause" })
        {
            Assert.True(replay.GetProperty(key).GetInt64() == evidence.GetProperty(key).GetInt64(), $"{key}: check {replay}, CLI {evidence}");
        }
        Assert.Contains($"{replay.GetProperty("broken").GetInt32():N0} broken", run.Output, StringComparison.Ordinal);

        // The gate itself, check, on the record: the same line, and the regression it found fails it.
        var check = await CliRun.Of("check", "--rules", proposalRules, "--baseline", _repo.Rules, "--from-store", store, "--since", "3650d");
        var line = $"As a proposal's check counts them: {replay.GetProperty("changed").GetInt32():N0} changed their status or cause, "
            + $"{replay.GetProperty("fixed").GetInt32():N0} fixed, {replay.GetProperty("broken").GetInt32():N0} broken, "
            + $"{replay.GetProperty("movedToNewCause").GetInt32():N0} moved to a new cause (of {replay.GetProperty("tickets").GetInt32():N0} replayed).";
        Assert.Contains(line, check.Output, StringComparison.Ordinal);
        Assert.Equal(1, check.ExitCode);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
