using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// The TMF621 trouble-ticket feed through the real pipeline: events shaped as TMF621 v5 / TMF688 publish them and as a
/// ticket system sends them (extra fields, optional ones missing, choices in another case), a created complaint ticket
/// diagnosed and recorded once per event id, a resolved one recording its confirmed cause, an event for a ticket never
/// seen accepted and listed, and an event that cannot be read answered with a problem naming its part.
/// </summary>
public sealed class TroubleTicketFeedTests() : TempRulesService
{
    private const string Listener = "/tmf-api/troubleTicket/v5/listener";

    /// <summary>A created ticket as a ticket system publishes it: the TMF688 envelope, a TMF621 v5 ticket with what the
    /// contract needs as characteristics (some under the rules' Chinese names), and much the service does not read.</summary>
    private static JsonObject Created(string eventId, string ticketId, params (string Name, JsonNode? Value)[] extra)
    {
        var characteristics = new JsonArray();
        foreach (var (name, value) in new (string, JsonNode?)[]
        {
            ("投诉类型", "DATA"), ("billing", "Postpaid"), ("inArrears", "true"), ("dataFeatureEnabled", true), ("漫游状态", "local"),
            ("scope", "allTimesAllPlaces"), ("frontDeskChecks.restarted", "true"), ("frontDeskChecks.settingsOk", "true"),
            ("frontDeskChecks.terminalOk", "true"), ("crmScore", 7),
        }.Concat(extra))
        {
            characteristics.Add(new JsonObject { ["@type"] = "StringCharacteristic", ["name"] = name, ["value"] = value?.DeepClone(), ["valueType"] = "string" });
        }
        return new JsonObject
        {
            ["@type"] = "TroubleTicketCreateEvent",
            ["eventId"] = eventId,
            ["eventTime"] = "2026-11-28T01:00:05Z",
            ["eventType"] = "TroubleTicketCreateEvent",
            ["domain"] = "Customer",
            ["source"] = new JsonObject { ["id"] = "crm-7", ["@referredType"] = "Application" },
            ["event"] = new JsonObject
            {
                ["troubleTicket"] = new JsonObject
                {
                    ["@type"] = "TroubleTicket",
                    ["id"] = ticketId,
                    ["href"] = $"https://crm.example/tmf-api/troubleTicket/v5/troubleTicket/{ticketId}",
                    ["name"] = "上网问题", ["description"] = "cannot get online since this morning",
                    ["severity"] = "Minor", ["priority"] = "Medium", ["ticketType"] = "Complaint", ["status"] = "acknowledged",
                    ["creationDate"] = "2026-11-28T09:00:00+08:00",
                    ["channel"] = new JsonObject { ["id"] = "ch-1", ["name"] = "10010", ["@type"] = "ChannelRef" },
                    ["relatedParty"] = new JsonArray(new JsonObject { ["role"] = "customer", ["partyOrPartyRole"] = new JsonObject { ["id"] = "c-9" } }),
                    ["troubleTicketCharacteristic"] = characteristics,
                },
            },
        };
    }

    private static JsonObject Resolved(string eventId, string ticketId, string? confirmed, string? reason = null) => new()
    {
        ["eventId"] = eventId,
        ["eventType"] = "TroubleTicketResolvedEvent",
        ["event"] = new JsonObject
        {
            ["troubleTicket"] = new JsonObject
            {
                ["id"] = ticketId, ["status"] = "resolved", ["resolutionDate"] = "2026-11-28T15:00:00+08:00", ["statusChangeReason"] = reason,
                ["troubleTicketCharacteristic"] = confirmed is null ? new JsonArray()
                    : new JsonArray(new JsonObject { ["name"] = "confirmedCause", ["value"] = confirmed }),
            },
        },
    };

    private bool _storeReady;

    /// <summary>Posts an event, once the decision store has migrated (before that the listener answers 503, as it should).</summary>
    private async Task<HttpResponseMessage> SendAsync(string listener, JsonObject body)
    {
        if (!_storeReady)
        {
            await HttpClientExtensions.Eventually(async () =>
                (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("storeReachable").GetBoolean(),
                TimeSpan.FromSeconds(20), "the decision store migrated");
            _storeReady = true;
        }
        return await Client.PostJsonAsync($"{Listener}/{listener}", body.ToJsonString());
    }

    [Fact]
    public async Task ACreatedComplaintIsDiagnosedAndRecordedOnceAndItsResolutionConfirmsItsCause()
    {
        using var created = await SendAsync("troubleTicketCreateEvent", Created("ev-1", "CRM-1001"));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        var decisionId = created.Headers.GetValues("X-Decision-Id").Single();
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetAsync(new Uri($"/api/v1/decisions/{decisionId}", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "on record");
        var decision = await Client.GetJsonAsync($"/api/v1/decisions/{decisionId}");
        Assert.Equal("CRM-1001", decision.GetProperty("ticketId").GetString());
        Assert.Equal("ACCOUNT_ARREARS", decision.GetProperty("answer").GetProperty("cause").GetProperty("code").GetString());
        var request = decision.GetProperty("request");
        Assert.Equal(("hotline10010", "postpaid", "data"), (request.GetProperty("source").GetString(), request.GetProperty("billing").GetString(),
            request.GetProperty("complaintType").GetString()));

        // Delivered again (a retry, or another replica behind the balancer): handled once, answered as the first time.
        using var again = await SendAsync("troubleTicketCreateEvent", Created("ev-1", "CRM-1001"));
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(decisionId, again.Headers.GetValues("X-Decision-Id").Single());
        Assert.Equal(1, (await Client.GetJsonAsync("/api/v1/decisions?ticketId=CRM-1001")).GetProperty("items").GetArrayLength());

        // Resolved with the cause's Chinese label: the ticket's confirmed cause.
        using var resolved = await SendAsync("troubleTicketResolvedEvent", Resolved("ev-2", "CRM-1001", "欠费"));
        Assert.Equal(HttpStatusCode.NoContent, resolved.StatusCode);
        var outcome = (await Client.GetJsonAsync($"/api/v1/decisions/{decisionId}")).GetProperty("outcome");
        Assert.Equal("ACCOUNT_ARREARS", outcome.GetProperty("confirmedCause").GetString());
    }

    [Fact]
    public async Task AResolutionForATicketNeverSeenIsAcceptedAndListed()
    {
        using var resolved = await SendAsync("troubleTicketResolvedEvent", Resolved("ev-9", "CRM-NEVER", null, reason: "arrears"));
        Assert.Equal(HttpStatusCode.NoContent, resolved.StatusCode);
        using var inProgress = await SendAsync("troubleTicketStatusChangeEvent", new JsonObject
        {
            ["eventId"] = "ev-10", ["event"] = new JsonObject { ["troubleTicket"] = new JsonObject { ["id"] = "CRM-NEVER", ["status"] = "inProgress" } },
        });
        Assert.Equal(HttpStatusCode.NoContent, inProgress.StatusCode);

        var unknown = (await Client.GetJsonAsync("/api/v1/tmf621/events?unknownOnly=true")).GetProperty("items");
        var listed = Assert.Single(unknown.EnumerateArray());
        Assert.Equal(("ev-9", "CRM-NEVER", "troubleTicketResolvedEvent"),
            (listed.GetProperty("eventId").GetString(), listed.GetProperty("ticketId").GetString(), listed.GetProperty("eventType").GetString()));
    }

    [Fact]
    public async Task AnEventThatCannotBeReadIsAProblemNamingItsPartAndNothingIsRecorded()
    {
        var badChoice = Created("ev-20", "CRM-2001", ("networkType", "6G"));
        var problem = await ProblemAsync("troubleTicketCreateEvent", badChoice);
        var key = Assert.Single(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains("networkType", StringComparison.Ordinal)).Name;
        Assert.StartsWith("event.troubleTicket.troubleTicketCharacteristic[10]", key, StringComparison.Ordinal);

        var noType = Created("ev-21", "CRM-2002");
        ((JsonArray)noType["event"]!["troubleTicket"]!["troubleTicketCharacteristic"]!).RemoveAt(0);
        Assert.Contains("complaintType", (await ProblemAsync("troubleTicketCreateEvent", noType)).GetProperty("errors").ToString(), StringComparison.Ordinal);

        var noId = Created("ev-22", "CRM-2003");
        noId.Remove("eventId");
        Assert.True((await ProblemAsync("troubleTicketCreateEvent", noId)).GetProperty("errors").TryGetProperty("eventId", out _));
        Assert.True((await ProblemAsync("troubleTicketResolvedEvent", new JsonObject { ["eventId"] = "ev-23" })).GetProperty("errors")
            .TryGetProperty("event.troubleTicket", out _));
        var unknownCause = await ProblemAsync("troubleTicketResolvedEvent", Resolved("ev-24", "CRM-2004", "ACOUNT_ARREARS"));
        Assert.Contains("Did you mean 'ACCOUNT_ARREARS'", unknownCause.GetProperty("errors").ToString(), StringComparison.Ordinal);

        Assert.Equal(0, (await Client.GetJsonAsync("/api/v1/decisions?limit=10")).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await Client.GetJsonAsync("/api/v1/tmf621/events")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ATicketThatIsNoComplaintIsAcknowledgedAndNotDiagnosed()
    {
        var incident = Created("ev-30", "CRM-3001");
        incident["event"]!["troubleTicket"]!["ticketType"] = "incident";
        using var response = await SendAsync("troubleTicketCreateEvent", incident);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Decision-Id"));
    }

    private async Task<JsonElement> ProblemAsync(string listener, JsonObject body)
    {
        using var response = await SendAsync(listener, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
