using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>The area's history looked up in the record (domain.md v3, V3a/V4) at its boundaries, on both engines.</summary>
public abstract class AreaLookupTests(IStoreEngine engine) : StoreTests(engine)
{
    protected const double Latitude = 39.9;
    protected const double MetresPerDegree = 6_371_008.8 * Math.PI / 180;

    protected static string Voice(string ticket, double latitude, string? description = "Tower B lobby", bool withCoordinates = true, string? similar = null)
    {
        var location = new Dictionary<string, object?> { ["area"] = "urban" };
        if (description is not null)
        {
            location["description"] = description;
        }
        if (withCoordinates)
        {
            location["latitude"] = latitude;
            location["longitude"] = 116.4;
        }
        var network = new Dictionary<string, object?> { ["activeAlarms"] = false, ["kpiAbnormal"] = false, ["reproduced"] = true };
        if (similar is not null)
        {
            network["similarUnresolvedComplaints"] = similar == "true";
        }
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ticketId"] = ticket, ["receivedAt"] = "2026-11-28T08:30:00+08:00", ["complaintType"] = "voice", ["networkType"] = "LTE",
            ["service"] = "voice", ["timePattern"] = "longTerm", ["location"] = location, ["network"] = network,
        });
    }

    protected static async Task<JsonElement> DiagnoseAsync(HttpClient client, string body)
    {
        using var response = await client.PostJsonAsync("/api/v1/diagnose", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return answer;
    }

    /// <summary>Records one earlier complaint (its own value stated, so it is not itself looked up) and waits for it.</summary>
    private static async Task<string> EarlierAsync(HttpClient client, string ticket, double latitude = Latitude, string? description = "Tower B lobby", bool withCoordinates = true)
    {
        var id = (await DiagnoseAsync(client, Voice(ticket, latitude, description, withCoordinates, similar: "false"))).GetProperty("decisionId").GetString()!;
        await DecisionAsync(client, id);
        return id;
    }

    protected static (bool? Value, IReadOnlyList<string> Decisions) LookedUp(JsonElement answer) =>
        answer.GetProperty("trace").TryGetProperty("lookedUp", out var facts)
            ? (facts[0].TryGetProperty("value", out var v) ? v.GetBoolean() : null,
                [.. facts[0].GetProperty("decisions").EnumerateArray().Select(d => d.GetString()!)])
            : (null, []);

    [Theory]
    [InlineData(499, true)]
    [InlineData(501, false)]
    public async Task AComplaintWithinTheRadiusIsSimilar(double metres, bool similar)
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        var earlier = await EarlierAsync(client, "A-1", description: "somewhere else");
        var answer = await DiagnoseAsync(client, Voice("A-2", Latitude + metres / MetresPerDegree, "here"));
        var (value, decisions) = LookedUp(answer);
        Assert.Equal(similar, value);
        Assert.Equal(similar ? [earlier] : [], decisions);
        Assert.Equal(similar ? "KNOWN_COVERAGE_ISSUE" : "FIELD_TEST_REQUIRED", answer.GetProperty("cause").GetProperty("code").GetString());

        // Reproduced, the rules are given what the look-up gave them: the same answer then and now.
        var id = answer.GetProperty("decisionId").GetString()!;
        await DecisionAsync(client, id);
        var reproduction = await client.GetJsonAsync($"/api/v1/decisions/{id}/reproduce");
        Assert.Empty(reproduction.GetProperty("differences").EnumerateArray());
        Assert.Equal(answer.GetProperty("cause").GetProperty("code").GetString(), reproduction.GetProperty("then").GetProperty("cause").GetString());
    }

    [Fact]
    public async Task AComplaintWithoutNetworkFindingsIsLookedUpToo()
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        var earlier = await EarlierAsync(client, "N-1");
        var body = JsonSerializer.Serialize(new
        {
            ticketId = "N-2", receivedAt = "2026-11-28T08:30:00+08:00", complaintType = "coverage", networkType = "LTE", service = "voice",
            timePattern = "longTerm", location = new { description = "Tower B lobby", latitude = Latitude, longitude = 116.4 },
        });
        var answer = await DiagnoseAsync(client, body);
        var (value, found) = LookedUp(answer);
        Assert.True(value);
        Assert.Equal([earlier], found);
        // The rules still ask for the unstated alarms and KPIs; the looked-up value is no longer among the missing.
        Assert.DoesNotContain("network.similarUnresolvedComplaints", answer.GetProperty("missingFields").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public async Task AComplaintOfTheLastThirtyDaysIsSimilar(int daysLater, bool similar)
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        await EarlierAsync(client, "B-1");
        service.Time.Advance(TimeSpan.FromDays(daysLater));
        Assert.Equal(similar, LookedUp(await DiagnoseAsync(client, Voice("B-2", Latitude))).Value);
    }

    [Theory]
    [InlineData("NETWORK_ALARM", false)]
    [InlineData("KNOWN_COVERAGE_ISSUE", true)]
    public async Task AResolvedTicketIsNotUnresolvedUnlessItsCauseIsTheKnownCoverageIssue(string confirmed, bool similar)
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        await EarlierAsync(client, "C-1");
        using var outcome = await client.PostJsonAsync("/api/v1/outcomes", $$"""[{"ticketId":"C-1","confirmedCause":"{{confirmed}}"}]""");
        Assert.Equal(1, (await outcome.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        Assert.Equal(similar, LookedUp(await DiagnoseAsync(client, Voice("C-2", Latitude))).Value);
    }

    [Fact]
    public async Task AtAHotSpotManyResolvedComplaintsDoNotHideAnUnresolvedOne()
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        var unresolved = await EarlierAsync(client, "H-0");
        // Then forty more at the same spot, all resolved as an alarm: more than the look-up reads at once.
        var items = Enumerable.Range(1, 40).Select(i => Voice($"H-{i}", Latitude, similar: "false"));
        using (var batch = await client.PostJsonAsync("/api/v1/diagnose/batch", $"[{string.Join(",", items)}]"))
        {
            var last = (await batch.Content.ReadFromJsonAsync<JsonElement>())[39].GetProperty("decisionId").GetString()!;
            await DecisionAsync(client, last);
        }
        using (var outcomes = await client.PostJsonAsync("/api/v1/outcomes",
            JsonSerializer.Serialize(Enumerable.Range(1, 40).Select(i => new { ticketId = $"H-{i}", confirmedCause = "NETWORK_ALARM" }))))
        {
            Assert.Equal(40, (await outcomes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        }

        var (value, found) = LookedUp(await DiagnoseAsync(client, Voice("H-41", Latitude)));

        Assert.True(value);
        Assert.Equal([unresolved], found);
    }

    [Fact]
    public async Task WithoutCoordinatesTheSameLocationDescriptionIsTheSamePlace()
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        var earlier = await EarlierAsync(client, "D-1", description: "Wanda Plaza B2", withCoordinates: false);
        var second = await DiagnoseAsync(client, Voice("D-2", Latitude, " wanda plaza b2 ", withCoordinates: true));
        var (value, found) = LookedUp(second);
        Assert.True(value);
        Assert.Equal([earlier], found);
        Assert.False(LookedUp(await DiagnoseAsync(client, Voice("D-3", Latitude, "Wanda Plaza B3", withCoordinates: false))).Value);
        // The same ticket diagnosed again is not its own neighbour: it finds D-2 only.
        var secondId = second.GetProperty("decisionId").GetString()!;
        await DecisionAsync(client, secondId);
        Assert.Equal([secondId], LookedUp(await DiagnoseAsync(client, Voice("D-1", Latitude, "Wanda Plaza B2", withCoordinates: false))).Decisions);
    }

    [Fact]
    public async Task AValueTheRequestGivesWinsAndRecordingOffLooksUpNothing()
    {
        await using (var service = await ServiceAsync())
        {
            using var client = service.CreateClient();
            await EarlierAsync(client, "E-1");
            var given = await DiagnoseAsync(client, Voice("E-2", Latitude, similar: "false"));
            Assert.Equal((null, []), LookedUp(given));
            Assert.Equal("FIELD_TEST_REQUIRED", given.GetProperty("cause").GetProperty("code").GetString());
        }
        await using var off = await ServiceAsync(extra: new() { ["Decisions:Enabled"] = "false" });
        using var offClient = off.CreateClient();
        var unknown = await DiagnoseAsync(offClient, Voice("E-3", Latitude));
        Assert.False(unknown.GetProperty("trace").TryGetProperty("lookedUp", out _));
        Assert.Equal("needsInfo", unknown.GetProperty("status").GetString());
        Assert.Contains("network.similarUnresolvedComplaints", unknown.GetProperty("missingFields").EnumerateArray().Select(f => f.GetString()));
    }
}

public sealed class SqliteAreaLookupTests() : AreaLookupTests(new SqliteStore())
{
    [Fact]
    public async Task AComplaintAnsweredAMomentAgoCountsBeforeItsBatchIsWritten()
    {
        // A front desk sends two complaints from one building one after the other. The first is still on its way to the
        // store (held here by another writer's lock on the file: its write waits up to 5 s) when the second is looked up,
        // and counts, by coordinates and by place.
        var settings = await NewStoreAsync();
        settings["Decisions:WriteTimeoutMilliseconds"] = "5000";
        await using var service = await ServiceAsync(settings);
        using var client = service.CreateClient();
        await client.DecisionStoreReadyAsync();
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection(settings["ConnectionStrings:Decisions"] + ";Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var first = (await DiagnoseAsync(client, Voice("M-1", Latitude, "Tower C lobby", similar: "false"))).GetProperty("decisionId").GetString()!;
        var near = await DiagnoseAsync(client, Voice("M-2", Latitude + 100 / MetresPerDegree, "Tower C hall"));
        var byPlace = await DiagnoseAsync(client, Voice("M-3", Latitude, "tower c lobby", withCoordinates: false));
        var itself = await DiagnoseAsync(client, Voice("M-1", Latitude, "Tower C lobby"));
        var far = await DiagnoseAsync(client, Voice("M-4", Latitude + 800 / MetresPerDegree, "far away"));
        using var batch = await client.PostJsonAsync("/api/v1/diagnose/batch",
            $"[{Voice("M-5", Latitude + 5000 / MetresPerDegree, "Tower D")}, {Voice("M-6", Latitude + 5000 / MetresPerDegree, "Tower D")}]");
        var items = await batch.Content.ReadFromJsonAsync<JsonElement[]>();
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.True(LookedUp(near).Value);
        Assert.Equal([first], LookedUp(near).Decisions);
        Assert.Equal("KNOWN_COVERAGE_ISSUE", near.GetProperty("cause").GetProperty("code").GetString());
        Assert.Contains(first, LookedUp(byPlace).Decisions);
        Assert.DoesNotContain(first, LookedUp(itself).Decisions); // Not its own neighbour.
        Assert.False(LookedUp(far).Value);
        // A batch's items are answered in order, each after those before it.
        Assert.False(LookedUp(items![0]).Value);
        Assert.Equal([items[0].GetProperty("decisionId").GetString()!], LookedUp(items[1]).Decisions);
        await DecisionAsync(client, far.GetProperty("decisionId").GetString()!); // All written once the lock is gone.
    }
}

public sealed class PostgresAreaLookupTests(PostgresCluster cluster) : AreaLookupTests(new PostgresStore(cluster)), IClassFixture<PostgresCluster>;
