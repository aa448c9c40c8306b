using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// A diagnosed ticket's finding written back onto the ticket in the ticket system, against a real HTTP server in the test
/// that records what it receives: a JSON Patch that adds the note, the probable cause, the route, the decision and the
/// resolve-by deadline; retried with back-off while the ticket system fails, and given up as a counted dead letter after
/// the last attempt; the listener answers without waiting for any of it.
/// </summary>
public sealed class TicketWriteBackTests : IAsyncLifetime, IDisposable
{
    private const string Token = "crm-writeback-token-7f3a";
    private readonly TempRulesFolder _rules = new();
    private readonly ConcurrentQueue<(string Path, string? ContentType, string? Authorization, string Body)> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _tickets = new(StringComparer.Ordinal);
    private WebApplication _ticketSystem = null!;
    private ServiceFactory _service = null!;
    private HttpClient _client = null!;
    private string _hub = "";

    public async Task InitializeAsync()
    {
        var port = Loopback.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _ticketSystem = builder.Build();
        // The ticket system's tickets, each with a note of its own; GONE-* it does not have.
        _ticketSystem.MapGet("/tmf-api/troubleTicket/v5/troubleTicket/{id}", (string id) => id.StartsWith("GONE", StringComparison.Ordinal)
            ? Results.NotFound()
            : Results.Text(_tickets.GetOrAdd(id, i => new JsonObject
            {
                ["id"] = i, ["status"] = "inProgress",
                ["note"] = new JsonArray(new JsonObject { ["author"] = "agent-7", ["text"] = "customer called twice" }),
            }).ToJsonString(), "application/json"));
        _ticketSystem.MapPatch("/tmf-api/troubleTicket/v5/troubleTicket/{id}", async (string id, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue((request.Path, request.ContentType, request.Headers.Authorization.ToString(), body));
            // Fails while the ticket's count of failures lasts, then takes it: a merge patch, each member replaced.
            if (_failuresLeft.AddOrUpdate(id, -1, (_, left) => left - 1) >= 0)
            {
                return Results.StatusCode(503);
            }
            foreach (var (name, value) in JsonNode.Parse(body)!.AsObject())
            {
                _tickets[id][name] = value?.DeepClone();
            }
            return Results.Ok();
        });
        _ticketSystem.MapPost("/tmf-api/troubleTicket/v5/hub", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue((request.Path, request.ContentType, request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            return Results.Created("/tmf-api/troubleTicket/v5/hub/sub-1", new { id = "sub-1" });
        });
        await _ticketSystem.StartAsync();
        _hub = $"http://127.0.0.1:{port}/tmf-api/troubleTicket/v5";
        _service = ServiceFactory.Serving(_rules.Path, new Dictionary<string, string>
        {
            ["Tmf621:WriteBack:BaseUrl"] = $"http://127.0.0.1:{port}/tmf-api/troubleTicket/v5",
            ["Tmf621:WriteBack:Token"] = Token,
            ["Tmf621:WriteBack:MaxAttempts"] = "3",
            ["Tmf621:WriteBack:FirstRetrySeconds"] = "10",
        });
        _client = _service.CreateClient();
        await _client.DecisionStoreReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _service.Dispose();
        await _ticketSystem.DisposeAsync();
    }

    public void Dispose() => _rules.Dispose();

    private static string Event(string eventId, string ticketId) => new JsonObject
    {
        ["eventId"] = eventId,
        ["eventType"] = "TroubleTicketCreateEvent",
        ["event"] = new JsonObject
        {
            ["troubleTicket"] = new JsonObject
            {
                ["id"] = ticketId, ["ticketType"] = "complaint", ["creationDate"] = "2026-11-28T09:00:00+08:00",
                ["troubleTicketCharacteristic"] = new JsonArray(
                    new JsonObject { ["name"] = "complaintType", ["value"] = "voice" }, new JsonObject { ["name"] = "networkType", ["value"] = "LTE" },
                    new JsonObject { ["name"] = "service", ["value"] = "voice" }, new JsonObject { ["name"] = "timePattern", ["value"] = "longTerm" },
                    new JsonObject { ["name"] = "location.description", ["value"] = "Gate 2, Xinhua Rd" },
                    new JsonObject { ["name"] = "network.activeAlarms", ["value"] = "true" }),
            },
        },
    }.ToJsonString();

    [Fact]
    public async Task TheFindingIsWrittenBackRetriedWhileTheTicketSystemFailsAndGivenUpAsADeadLetter()
    {
        // The ticket system fails twice for OK-1, then takes it; for FAIL-1 it fails every time.
        _failuresLeft["OK-1"] = 2;
        _failuresLeft["FAIL-1"] = 100;
        using var ok = await _client.PostJsonAsync("/tmf-api/troubleTicket/v5/listener/troubleTicketCreateEvent", Event("ev-ok", "OK-1"));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode); // Answered before any write-back was tried.
        var decisionId = ok.Headers.GetValues("X-Decision-Id").Single();
        using var failing = await _client.PostJsonAsync("/tmf-api/troubleTicket/v5/listener/troubleTicketCreateEvent", Event("ev-fail", "FAIL-1"));
        Assert.Equal(HttpStatusCode.NoContent, failing.StatusCode);
        using var gone = await _client.PostJsonAsync("/tmf-api/troubleTicket/v5/listener/troubleTicketCreateEvent", Event("ev-gone", "GONE-1"));
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        Assert.Empty(_received);
        // Every decision on record before any attempt is due (an attempt before it would find nothing to write, and count).
        foreach (var id in new[] { ok, failing, gone }.Select(r => r.Headers.GetValues("X-Decision-Id").Single()))
        {
            await HttpClientExtensions.Eventually(async () => (await _client.GetAsync(new Uri($"/api/v1/decisions/{id}", UriKind.Relative))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(20), "the decisions on record");
        }

        // Each attempt is due on the service's clock: 1 s after the event, then 10 s, then 20 s later. The clock moves on
        // only once both attempts are recorded (the next one's time is counted from the clock when an attempt ends).
        foreach (var (advance, attempts) in new[] { (2, 1), (11, 2), (21, 3) })
        {
            _service.Time.Advance(TimeSpan.FromSeconds(advance));
            await HttpClientExtensions.Eventually(async () => (await Events()).Where(e => e.GetProperty("eventId").GetString() != "ev-gone").All(e => Attempts(e) == attempts),
                TimeSpan.FromSeconds(20), $"attempt {attempts} recorded");
        }
        Assert.Equal(6, _received.Count); // Three writes to each; none to the ticket the ticket system does not have.
        await HttpClientExtensions.Eventually(async () => State(await Events(), "ev-fail") == "dead" && State(await Events(), "ev-ok") == "done",
            TimeSpan.FromSeconds(20), "done and dead");
        // A ticket the ticket system does not have (404): a dead letter at once, no retry can change that.
        var goneState = (await Events()).Single(e => e.GetProperty("eventId").GetString() == "ev-gone").GetProperty("writeBack");
        Assert.Equal(("dead", 1), (goneState.GetProperty("state").GetString(), goneState.GetProperty("attempts").GetInt32()));

        var toOk = _received.Where(r => r.Path.EndsWith("/troubleTicket/OK-1", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, toOk.Count);
        Assert.All(toOk, r => Assert.Equal(("application/merge-patch+json; charset=utf-8", $"Bearer {Token}"), (r.ContentType, r.Authorization)));
        // The ticket as the ticket system now has it: its own note kept, the finding added.
        var ticket = _tickets["OK-1"];
        var notes = ticket["note"]!.AsArray();
        Assert.Equal("customer called twice", (string?)notes[0]!["text"]);
        Assert.Contains("NETWORK_ALARM", (string?)notes[1]!["text"], StringComparison.Ordinal);
        Assert.Contains(ticket["troubleTicketCharacteristic"]!.AsArray(), c => (string?)c!["name"] == "probableCause" && (string?)c["value"] == "NETWORK_ALARM");
        Assert.Equal(decisionId, (string?)Assert.Single(ticket["externalIdentifier"]!.AsArray())!["id"]);
        // The resolve-by deadline as the ticket's expected resolution date, when the answer has one.
        var answer = (await _client.GetJsonAsync($"/api/v1/decisions/{decisionId}")).GetProperty("answer");
        var resolveBy = answer.TryGetProperty("deadlines", out var deadlines) && deadlines.ValueKind == JsonValueKind.Object
            && deadlines.TryGetProperty("resolveBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null;
        Assert.Equal(resolveBy, (string?)ticket["expectedResolutionDate"]);

        var dead = (await Events()).Single(e => e.GetProperty("eventId").GetString() == "ev-fail").GetProperty("writeBack");
        Assert.Equal(3, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("503", dead.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await _client.ScrapeAsync()).Sum("complaintdiagnostics_tmf621_writeback_dead_letters_total"));
    }

    [Fact]
    public async Task TheHubRegistrationScriptSubscribesTheBalancersAddressForTheThreeEvents()
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "deploy", "tmf621", "register-hub.sh"), "register"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["TICKET_SYSTEM"] = _hub, ["CALLBACK"] = "https://complaints.noc.example/tmf-api/troubleTicket/v5/", ["TOKEN"] = Token },
        };
        using var script = System.Diagnostics.Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        var error = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.True(script.ExitCode == 0, error);
        Assert.Contains("sub-1", output, StringComparison.Ordinal);
        var (path, contentType, authorization, body) = Assert.Single(_received);
        Assert.Equal(("/tmf-api/troubleTicket/v5/hub", "application/json", $"Bearer {Token}"), (path, contentType, authorization));
        var subscription = JsonDocument.Parse(body).RootElement;
        Assert.Equal("https://complaints.noc.example/tmf-api/troubleTicket/v5", subscription.GetProperty("callback").GetString());
        Assert.Equal("eventType=TroubleTicketCreateEvent,TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent", subscription.GetProperty("query").GetString());
    }

    private async Task<List<JsonElement>> Events() =>
        [.. (await _client.GetJsonAsync("/api/v1/tmf621/events")).GetProperty("items").EnumerateArray()];

    private static int Attempts(JsonElement ticketEvent) =>
        ticketEvent.TryGetProperty("writeBack", out var w) && w.ValueKind == JsonValueKind.Object ? w.GetProperty("attempts").GetInt32() : 0;

    private static string? State(List<JsonElement> events, string eventId) =>
        events.SingleOrDefault(e => e.GetProperty("eventId").GetString() == eventId) is { ValueKind: JsonValueKind.Object } e
            && e.TryGetProperty("writeBack", out var w) && w.ValueKind == JsonValueKind.Object ? w.GetProperty("state").GetString() : null;
}
