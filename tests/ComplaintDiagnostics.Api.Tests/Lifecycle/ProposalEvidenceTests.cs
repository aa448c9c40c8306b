using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// A proposal's check replays the recorded complaints with confirmed causes on the active release and on the proposal:
/// a regression needs an approver's explicit acceptance, kept with their name in the release; a ticket moved to a cause
/// the active release does not have is reported as such and does not hold the proposal up.
/// </summary>
public sealed class ProposalEvidenceTests : IDisposable
{
    private readonly ReleaseModeService _release = new();

    public void Dispose() => _release.Dispose();

    [Fact]
    public async Task ARegressionNeedsItsApproversAcceptanceAndANewCauseDoesNot()
    {
        var client = _release.Service.CreateClient();
        await RecordAsync(client, ("A1", "ACCOUNT_ARREARS"), ("A2", "欠费"), ("A3", "DATA_FEATURE_DISABLED"));

        // D1 answering "data feature disabled" instead (its scenarios changed with it): two tickets confirmed as arrears
        // broken, one fixed.
        var regression = await ProposeAsync(client, "Arrears read as a disabled feature", "DATA_FEATURE_DISABLED");
        var replay = regression.GetProperty("check").GetProperty("replay");
        Assert.Equal((3, 3, 1, 2, 0), (replay.GetProperty("tickets").GetInt32(), replay.GetProperty("changed").GetInt32(),
            replay.GetProperty("fixed").GetInt32(), replay.GetProperty("broken").GetInt32(), replay.GetProperty("movedToNewCause").GetInt32()));
        var id = regression.GetProperty("id").GetString()!;

        using var refused = await ReleaseLifecycleTests.Send(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", ReleaseLifecycleTests.Bob, "{}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("ACCOUNT_ARREARS", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var accepted = await ReleaseLifecycleTests.Json(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", ReleaseLifecycleTests.Bob,
            """{"acceptRegression":true,"comment":"the billing system now reports arrears as a suspended feature"}""");
        Assert.Equal(["ACCOUNT_ARREARS"], accepted.GetProperty("release").GetProperty("acceptedRegressions").EnumerateArray().Select(c => c.GetString()));
        var note = (await ReleaseLifecycleTests.Json(client, HttpMethod.Get, $"/api/v1/proposals/{id}", ReleaseLifecycleTests.Bob)).GetProperty("notes")[1];
        Assert.Equal(("approved", "bob"), (note.GetProperty("action").GetString(), note.GetProperty("by").GetString()));

        // A cause of its own for suspended data: every arrears ticket moves to a cause no history can confirm yet.
        var causes = File.ReadAllText(Path.Combine(_release.Repo.Rules, "causes.json")).Replace(
            "\"ACCOUNT_ARREARS\":",
            "\"DATA_SUSPENDED_FOR_ARREARS\": { \"group\": \"account\", \"label\": { \"zh-CN\": \"欠费停机（上网）\", \"en\": \"Data suspended for arrears\" } },\n    \"ACCOUNT_ARREARS\":",
            StringComparison.Ordinal);
        var moved = await ProposeAsync(client, "A cause of its own", "DATA_SUSPENDED_FOR_ARREARS", ("causes.json", causes));
        var movedReplay = moved.GetProperty("check").GetProperty("replay");
        Assert.Equal((3, 0, 0), (movedReplay.GetProperty("movedToNewCause").GetInt32(), movedReplay.GetProperty("broken").GetInt32(),
            moved.GetProperty("check").GetProperty("regressions").GetArrayLength()));
        var release = await ReleaseLifecycleTests.Json(client, HttpMethod.Post, $"/api/v1/proposals/{moved.GetProperty("id").GetString()}/approve",
            ReleaseLifecycleTests.Bob, "{}");
        Assert.Equal(3, release.GetProperty("release").GetProperty("number").GetInt32());
    }

    /// <summary>A proposal making D1 answer <paramref name="cause"/> (its reply unchanged), the scenarios that expected
    /// arrears expecting it too, and any other files given.</summary>
    private async Task<JsonElement> ProposeAsync(HttpClient client, string title, string cause, params (string File, string Text)[] more)
    {
        string Replaced(string file, string from, string to)
        {
            var text = File.ReadAllText(Path.Combine(_release.Repo.Rules, file));
            Assert.Contains(from, text, StringComparison.Ordinal);
            return text.Replace(from, to, StringComparison.Ordinal);
        }
        var files = new Dictionary<string, string>
        {
            ["workflows/data.json"] = Replaced("workflows/data.json", "\"cause\": \"ACCOUNT_ARREARS\", \"route\"", $"\"cause\": \"{cause}\", \"route\""),
            ["tests/domain.json"] = Replaced("tests/domain.json", "\"cause\": \"ACCOUNT_ARREARS\"", $"\"cause\": \"{cause}\""),
        };
        foreach (var (file, text) in more)
        {
            files[file] = text;
        }
        return await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/proposals", ReleaseLifecycleTests.Alice,
            JsonSerializer.Serialize(new { title, files }), HttpStatusCode.Created);
    }

    /// <summary>An arrears complaint per ticket, on record, then the cause each was confirmed as (a code or a label).</summary>
    private static async Task RecordAsync(HttpClient client, params (string Ticket, string Confirmed)[] tickets)
    {
        foreach (var (ticket, _) in tickets)
        {
            await client.DiagnoseAsync(Complaint.Data($"inArrears=true; ticketId=\"{ticket}\""));
        }
        await HttpClientExtensions.Eventually(async () =>
        {
            var page = await client.GetJsonAsync($"/api/v1/decisions?ticketId={tickets[^1].Ticket}");
            return page.GetProperty("items").GetArrayLength() == 1;
        }, TimeSpan.FromSeconds(20), "the decisions on record");
        var outcomes = JsonSerializer.Serialize(tickets.Select(t => new { ticketId = t.Ticket, confirmedCause = t.Confirmed }));
        var recorded = await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/outcomes", null, outcomes);
        Assert.Equal(tickets.Length, recorded.GetProperty("recorded").GetInt32());
    }
}
