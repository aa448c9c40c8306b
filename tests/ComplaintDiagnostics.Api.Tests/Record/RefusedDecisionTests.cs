using System.Net.Http.Json;
using System.Text.Json;
using ComplaintDiagnostics.Testing;
using Microsoft.Data.Sqlite;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// A decision the store refuses for good (here SQLite's own refusal, a trigger's ABORT, standing for a value a database
/// will not take) does not hold up the others of its batch on every retry: it is set aside, counted as lost ("refused")
/// and logged, kept in a file of its own under the spool folder, and every other decision is recorded.
/// </summary>
public sealed class RefusedDecisionTests() : StoreTests(new SqliteStore())
{
    [Fact]
    public async Task ADecisionTheStoreRefusesIsSetAsideAndTheOthersAreRecorded()
    {
        var store = await NewStoreAsync();
        await using var service = await ServiceAsync(store);
        using var client = service.CreateClient();
        await client.DecisionStoreReadyAsync();
        await using (var connection = new SqliteConnection(store["ConnectionStrings:Decisions"]))
        {
            await connection.OpenAsync();
            await using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON decisions WHEN NEW.ticket_id = 'R-REFUSED' "
                + "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END";
            await trigger.ExecuteNonQueryAsync();
        }

        var ids = new List<string>();
        foreach (var ticket in new[] { "R-1", "R-REFUSED", "R-2", "R-3" })
        {
            using var response = await client.PostJsonAsync("/api/v1/diagnose", Complaint(ticket));
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decisionId").GetString()!);
        }

        foreach (var id in ids.Where((_, i) => i != 1))
        {
            await DecisionAsync(client, id);
        }
        await HttpClientExtensions.Eventually(async () =>
            (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("lost").GetInt64() == 1,
            Within, "the refused decision counted as lost");
        using var missing = await client.GetAsync(new Uri($"/api/v1/decisions/{ids[1]}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        var decisions = (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions");
        Assert.True(decisions.GetProperty("storeReachable").GetBoolean(), decisions.ToString());
        Assert.Equal(0, decisions.GetProperty("spoolBytes").GetInt64());

        // Kept for someone to look at, as the spool keeps decisions: without the phone number sent.
        var kept = File.ReadAllLines(Path.Combine(store["Decisions:SpoolPath"], "refused", "decisions.jsonl"));
        var line = Assert.Single(kept);
        Assert.Equal(ids[1], JsonDocument.Parse(line).RootElement.GetProperty("decisionId").GetString());
        Assert.Contains("R-REFUSED", line, StringComparison.Ordinal);
        Assert.DoesNotContain("13900000000", line, StringComparison.Ordinal);
    }
}
