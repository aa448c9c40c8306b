using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// The rule lifecycle through the real pipeline on a real Git repository (contract, "Rule lifecycle"): a proposal, a
/// second person's approval, a numbered release, activation on the service and rollback, every action attributed; and
/// each refusal writing nothing to Git.
/// </summary>
public sealed class ReleaseLifecycleTests : IDisposable
{
    internal const string Alice = "alice-key-3f9a2c71d0b84e55";
    internal const string Bob = "bob-key-7c21e9a04b6d4f18";
    internal const string Carol = "carol-key-0d5b8e3a9f2c4a67";
    internal const string Olga = "olga-key-91e4c7b2a8d34f05";
    private const string ArrearsText = "上网功能已暂停";
    private const string NewArrearsText = "上网功能已暂停，缴费后约五分钟恢复";

    private readonly ReleaseModeService _release = new();

    internal static Dictionary<string, string> Settings(string repository, Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Rules:Source"] = "release",
            ["Rules:Repository"] = repository,
            ["Security:Users:0:Name"] = "alice", ["Security:Users:0:Key"] = Alice, ["Security:Users:0:Roles"] = "author",
            ["Security:Users:1:Name"] = "bob", ["Security:Users:1:Key"] = Bob, ["Security:Users:1:Roles"] = "approver",
            ["Security:Users:2:Name"] = "carol", ["Security:Users:2:Key"] = Carol, ["Security:Users:2:Roles"] = "author, approver",
            ["Security:Users:3:Name"] = "olga", ["Security:Users:3:Key"] = Olga, ["Security:Users:3:Roles"] = "operator",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    public void Dispose() => _release.Dispose();

    [Fact]
    public async Task AnApprovedProposalBecomesAReleaseThatActivationPutsInServiceAndRollbackTakesOut()
    {
        var client = _release.Service.CreateClient();
        Assert.Equal(1, (await Json(client, HttpMethod.Get, "/api/v1/releases", Olga)).GetProperty("active").GetInt32());
        var before = await DiagnoseArrearsAsync(client);
        Assert.Contains(ArrearsText, before.Reply);
        Assert.DoesNotContain(NewArrearsText, before.Reply);
        Assert.Equal("1", before.Release);

        // An author proposes a reply change; its check ran on its content before anything was written.
        var proposal = await Json(client, HttpMethod.Post, "/api/v1/proposals", Alice, ReplyChange(), HttpStatusCode.Created);
        var id = proposal.GetProperty("id").GetString()!;
        Assert.Equal("open", proposal.GetProperty("status").GetString());
        Assert.Equal("alice", proposal.GetProperty("author").GetString());
        Assert.True(proposal.GetProperty("check").GetProperty("valid").GetBoolean(), proposal.ToString());
        Assert.Equal(["reply data.arrears"], proposal.GetProperty("check").GetProperty("changes").GetProperty("modified").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("alice", _release.Repo.Git("log", "-1", "--format=%an", $"proposals/{id}").Trim());
        // Read back as a reviewer reads it: the reply's texts before and after, no table touched, no comment yet.
        var read = await Json(client, HttpMethod.Get, $"/api/v1/proposals/{id}", Bob);
        var replies = read.GetProperty("diff").GetProperty("replies").EnumerateArray().ToList();
        Assert.NotEmpty(replies);
        Assert.All(replies, r => Assert.Equal(("data.arrears", "zh-CN"), (r.GetProperty("template").GetString(), r.GetProperty("language").GetString())));
        Assert.Contains(replies, r => r.GetProperty("part").GetString() == "customer" && r.GetProperty("after").GetString()!.Contains(NewArrearsText, StringComparison.Ordinal));
        Assert.Empty(read.GetProperty("diff").GetProperty("tables").EnumerateArray());
        Assert.Empty(read.GetProperty("comments").EnumerateArray());

        // Its author may not approve it; a second person may.
        var own = await Send(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", Alice, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        var released = await Json(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", Bob, """{"comment":"clearer for the customer"}""");
        Assert.Equal(2, released.GetProperty("release").GetProperty("number").GetInt32());
        Assert.Equal(["bob"], released.GetProperty("release").GetProperty("approvedBy").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(_release.Repo.Git("rev-parse", $"proposals/{id}").Trim(), _release.Repo.Git("rev-parse", "release/2^{commit}").Trim());

        // Approved is not yet in service.
        Assert.DoesNotContain(NewArrearsText, (await DiagnoseArrearsAsync(client)).Reply);

        // Activation puts release 2 in service, and every decision records it.
        await Json(client, HttpMethod.Post, "/api/v1/releases/2/activate", Olga, """{"reason":"approved reply wording"}""");
        await HttpClientExtensions.Eventually(async () => (await DiagnoseArrearsAsync(client)).Reply.Contains(NewArrearsText, StringComparison.Ordinal),
            HttpClientExtensions.ReloadDeadline, "release 2 answers");
        Assert.Equal("2", (await DiagnoseArrearsAsync(client)).Release);
        Assert.Equal(_release.Repo.Git("rev-parse", "release/2^{commit}").Trim(), _release.Repo.Git("rev-parse", "active").Trim());

        // Rollback: release 1 again.
        await Json(client, HttpMethod.Post, "/api/v1/releases/1/activate", Olga, """{"reason":"roll back: the contact centre asked"}""");
        await HttpClientExtensions.Eventually(async () => !(await DiagnoseArrearsAsync(client)).Reply.Contains(NewArrearsText, StringComparison.Ordinal),
            HttpClientExtensions.ReloadDeadline, "release 1 answers again");
        Assert.Equal("1", (await DiagnoseArrearsAsync(client)).Release);

        // Every action attributed and kept: the lifecycle branch's log, and the releases' activations.
        var log = _release.Repo.Git("log", "--format=%an: %s", "lifecycle").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["olga: roll back to release 1: roll back: the contact centre asked", "olga: activate to release 2: approved reply wording",
            $"bob: approve {id}: release 2", $"alice: propose {id}: Clearer arrears reply", "complaint-diagnostics: release 1: the default branch's head, active"], log);
        var releases = await Json(client, HttpMethod.Get, "/api/v1/releases", Bob);
        Assert.Equal(1, releases.GetProperty("active").GetInt32());
        Assert.Equal(3, releases.GetProperty("activations").GetArrayLength());
    }

    [Fact]
    public async Task EachRefusalNamesTheProblemAndWritesNothingToGit()
    {
        var client = _release.Service.CreateClient();
        await Json(client, HttpMethod.Get, "/api/v1/releases", Olga);
        var refs = Refs();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Post, "/api/v1/proposals", null, ReplyChange())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, HttpMethod.Post, "/api/v1/proposals", "no-such-key-0000000000", ReplyChange())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, "/api/v1/proposals", Olga, ReplyChange())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, "/api/v1/releases/1/activate", Alice, """{"reason":"x"}""")).StatusCode);

        var outside = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, """{"title":"x","files":{"../secrets.json":"{}"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("files.../secrets.json", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var notRead = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, """{"title":"x","files":{"workflow/data.json":"{}"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, notRead.StatusCode);
        Assert.Contains("not a file the service reads", await notRead.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var broken = File.ReadAllText(Path.Combine(_release.Repo.Rules, "workflows", "data.json")).Replace("\"RuleName\": \"D1_", "\"RuleNmae\": \"D1_", StringComparison.Ordinal);
        var lint = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, Body("broken", "workflows/data.json", broken));
        Assert.Equal(HttpStatusCode.BadRequest, lint.StatusCode);
        var findings = await lint.Content.ReadAsStringAsync();
        Assert.Contains("workflows/data.json", findings, StringComparison.Ordinal);
        Assert.Contains("do not lint", findings, StringComparison.Ordinal);

        foreach (var (given, expected) in new[] { ("7", HttpStatusCode.Conflict), ("deadbeefdeadbeef", HttpStatusCode.BadRequest), (":/arrears", HttpStatusCode.BadRequest) })
        {
            var based = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice,
                new JsonObject { ["title"] = "on another base", ["base"] = given, ["files"] = JsonNode.Parse(ReplyChange())!["files"]!.DeepClone() }.ToJsonString());
            Assert.True(based.StatusCode == expected, $"base {given}: {(int)based.StatusCode}");
        }
        var twoLines = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, Body("One\nforged: approve p9", "replies.json", "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, twoLines.StatusCode);

        var longTitle = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, Body(new string('标', 201), "replies.json", "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, longTitle.StatusCode);
        Assert.Contains("\"title\"", await longTitle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var huge = await Send(client, HttpMethod.Post, "/api/v1/proposals", Alice, Body("huge", "replies.json", new string(' ', 1100 * 1024) + "{}"));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("no replica would read the release", await huge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var missing = await Send(client, HttpMethod.Post, "/api/v1/releases/99/activate", Olga, """{"reason":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no release 99", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(client, HttpMethod.Post, "/api/v1/releases/1/activate", Olga, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Post, "/api/v1/proposals/p42/approve", Bob, "{}")).StatusCode);

        Assert.Equal(refs, Refs());
    }

    [Fact]
    public async Task TwoApprovalsRacingForOneProposalMakeOneRelease()
    {
        var client = _release.Service.CreateClient();
        var id = (await Json(client, HttpMethod.Post, "/api/v1/proposals", Alice, ReplyChange(), HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var answers = await Task.WhenAll(
            Send(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", Bob, "{}"),
            Send(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", Carol, "{}"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var releases = await Json(client, HttpMethod.Get, "/api/v1/releases", Bob);
        Assert.Equal([2, 1], releases.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal("approved", (await Json(client, HttpMethod.Get, $"/api/v1/proposals/{id}", Bob)).GetProperty("status").GetString());

        // Another proposal taken back by its author (not by anyone else); then nobody approves it.
        var other = (await Json(client, HttpMethod.Post, "/api/v1/proposals", Alice, Body("Taken back", "replies.json",
            File.ReadAllText(Path.Combine(_release.Repo.Rules, "replies.json")).Replace("正在抢修中", "正在紧急抢修中", StringComparison.Ordinal)), HttpStatusCode.Created));
        Assert.Equal(other.GetProperty("head").GetString(), other.GetProperty("commit").GetString());
        var otherId = other.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, HttpMethod.Post, $"/api/v1/proposals/{otherId}/withdraw", Carol, "{}")).StatusCode);
        Assert.Equal("withdrawn", (await Json(client, HttpMethod.Post, $"/api/v1/proposals/{otherId}/withdraw", Alice, "{}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Send(client, HttpMethod.Post, $"/api/v1/proposals/{otherId}/approve", Bob, "{}")).StatusCode);
    }

    [Fact]
    public async Task AReleaseProposedOnAnOlderReleaseIsNotActivatedOverTheOneInServiceAndARevisedProposalIsNotApprovedUnseen()
    {
        var client = _release.Service.CreateClient();
        var first = (await Json(client, HttpMethod.Post, "/api/v1/proposals", Alice, ReplyChange(), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var second = await Json(client, HttpMethod.Post, "/api/v1/proposals", Carol,
            Body("Notify wording", "replies.json", File.ReadAllText(Path.Combine(_release.Repo.Rules, "replies.json")).Replace("正在抢修中", "正在紧急抢修中", StringComparison.Ordinal)),
            HttpStatusCode.Created);
        var secondId = second.GetProperty("id").GetString()!;

        // The approver read the second proposal at its first commit; its author revised it since.
        var seen = second.GetProperty("head").GetString()!;
        await Json(client, HttpMethod.Put, $"/api/v1/proposals/{secondId}", Carol,
            Body("x", "replies.json", File.ReadAllText(Path.Combine(_release.Repo.Rules, "replies.json")).Replace("正在抢修中", "正在全力紧急抢修中", StringComparison.Ordinal)));
        using var unseen = await Send(client, HttpMethod.Post, $"/api/v1/proposals/{secondId}/approve", Bob, $$"""{"head":"{{seen}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, unseen.StatusCode);
        Assert.Contains("revised after you read it", await unseen.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Both approved on release 1: releases 2 and 3. Release 2 goes live; release 3 would undo it.
        await Json(client, HttpMethod.Post, $"/api/v1/proposals/{first}/approve", Bob, "{}");
        await Json(client, HttpMethod.Post, $"/api/v1/proposals/{secondId}/approve", Bob, "{}");
        await Json(client, HttpMethod.Post, "/api/v1/releases/2/activate", Olga, """{"reason":"first"}""");
        using var undo = await Send(client, HttpMethod.Post, "/api/v1/releases/3/activate", Olga, """{"reason":"second"}""");
        Assert.Equal(HttpStatusCode.Conflict, undo.StatusCode);
        Assert.Contains("would undo what release 2 changed", await undo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Back to release 1 (a rollback), release 3 is built on it again and goes live.
        await Json(client, HttpMethod.Post, "/api/v1/releases/1/activate", Olga, """{"reason":"roll back"}""");
        await Json(client, HttpMethod.Post, "/api/v1/releases/3/activate", Olga, """{"reason":"second, on release 1"}""");
    }

    private Dictionary<string, string> Refs() => _release.Repo.Git("for-each-ref", "--format=%(refname) %(objectname)").Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);

    private string ReplyChange() => Body("Clearer arrears reply", "replies.json",
        File.ReadAllText(Path.Combine(_release.Repo.Rules, "replies.json")).Replace(ArrearsText, NewArrearsText, StringComparison.Ordinal));

    internal static string Body(string title, string file, string text) =>
        new JsonObject { ["title"] = title, ["files"] = new JsonObject { [file] = text } }.ToJsonString();

    internal static async Task<(string Reply, string? Release)> DiagnoseArrearsAsync(HttpClient client)
    {
        var answer = await client.DiagnoseAsync(Complaint.Data("inArrears=true"));
        // Recorded off the request path: on record within the recorder's flush.
        await HttpClientExtensions.Eventually(async () =>
        {
            using var found = await client.GetAsync(new Uri($"/api/v1/decisions/{answer.DecisionId}", UriKind.Relative));
            return found.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20), "the decision on record");
        var decision = await Json(client, HttpMethod.Get, $"/api/v1/decisions/{answer.DecisionId}", null);
        return (answer.Reply.Text, decision.TryGetProperty("release", out var release) && release.ValueKind == JsonValueKind.String ? release.GetString() : null);
    }

    internal static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return await client.SendAsync(request);
    }

    internal static async Task<JsonElement> Json(HttpClient client, HttpMethod method, string url, string? key, string? json = null,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Send(client, method, url, key, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
