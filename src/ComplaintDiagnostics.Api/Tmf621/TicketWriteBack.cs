using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Tmf621;

/// <summary><c>Tmf621:WriteBack</c>: where a diagnosed ticket's finding is written back (optional).</summary>
internal sealed class WriteBackOptions : IValidatableObject
{
    public const string Section = "Tmf621:WriteBack";

    /// <summary>The ticket system's TMF621 API, e.g. <c>https://crm.example/tmf-api/troubleTicket/v5</c>; empty: no write-back.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>A bearer token for it (from a secret); empty: none.</summary>
    public string Token { get; set; } = "";

    /// <summary>Attempts before a finding is given up as a dead letter (counted, kept on its event): with the back-off, 20
    /// attempts span about 14 hours, longer than a ticket system's maintenance window.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The wait after the first failure; each next one doubles, up to an hour.</summary>
    [Range(0.05, 3600)]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public bool Enabled => BaseUrl.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Query.Length > 0
            || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))))
        {
            yield return new("Tmf621:WriteBack:BaseUrl must be the ticket system's TMF621 API as an https URL (http only on this machine's loopback) "
                + "without credentials or query (give the token in Tmf621:WriteBack:Token: it must not travel in clear text).", [nameof(BaseUrl)]);
        }
    }
}

/// <summary>
/// Writes each diagnosed ticket's finding back onto the ticket in the ticket system: the ticket is read
/// (<c>GET /troubleTicket/{id}</c>) and patched with a JSON merge patch (TMF630's mandatory format) whose lists are the
/// ticket's own plus ours, so nothing of the ticket is lost: a note with the probable cause, the route and the reply;
/// characteristics <c>probableCause</c>, <c>route</c> and <c>decisionId</c>; the decision as an external identifier; and the
/// resolve-by deadline as <c>expectedResolutionDate</c> (which the issue asks for: it replaces the ticket's). A ticket
/// that already has the decision's external identifier is done (a retry after a write that landed writes nothing twice).
/// The queue is the decision store's event rows, so a restart or a ticket system that is down loses nothing and the
/// listener never waits for it: attempts back off (doubling from <see cref="WriteBackOptions.FirstRetrySeconds"/>, or as a
/// 429/503's Retry-After says), a refusal that will not change (4xx but 408/409/425/429) is a dead letter at once, and
/// after <see cref="WriteBackOptions.MaxAttempts"/> every finding is one: counted
/// (<c>complaintdiagnostics_tmf621_writeback_dead_letters_total</c>) and kept with its last error.
/// </summary>
internal sealed partial class TicketWriteBack(
    IOptions<WriteBackOptions> options, IDecisionStore store, IHttpClientFactory http, TimeProvider time, IMeterFactory meters,
    ILogger<TicketWriteBack> logger) : BackgroundService
{
    public const string Client = "tmf621-writeback";
    private const int Batch = 50;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    private bool _storeAway;

    /// <summary>How long one attempt holds its entry: more than its two calls' time limits and the store's work.</summary>
    private TimeSpan Taken => TimeSpan.FromSeconds(2 * Options.TimeoutSeconds + 60);

    private readonly Meter _meter = meters.Create(Core.Diagnosis.DiagnosisMetrics.MeterName);
    private Counter<long>? _written;
    private Counter<long>? _dead;

    private WriteBackOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled)
        {
            return;
        }
        _written = _meter.CreateCounter<long>("complaintdiagnostics.tmf621.writeback.written", description: "Findings written back to the ticket system.");
        _dead = _meter.CreateCounter<long>("complaintdiagnostics.tmf621.writeback.dead_letters", description: "Findings given up after every attempt failed.");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.DueWriteBacksAsync(time.GetUtcNow(), Batch, stoppingToken);
                _storeAway = false;
                foreach (var entry in due)
                {
                    if (await store.TakeWriteBackAsync(entry, time.GetUtcNow() + Taken, stoppingToken))
                    {
                        await AttemptAsync(entry, stoppingToken);
                    }
                }
                if (due.Count == Batch)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (!_storeAway)
                {
                    LogStoreAway(Contracts.Privacy.Clean(ex.Message)); // Once per outage: the entries wait in the store.
                    _storeAway = true;
                }
            }
            try
            {
                await Task.Delay(Idle, stoppingToken); // Real time between looks at the queue; the entries' times are the clock's.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AttemptAsync(WriteBackEntry entry, CancellationToken cancellationToken)
    {
        var attempts = entry.Attempts + 1;
        Outcome outcome;
        try
        {
            var decision = entry.DecisionId is { } id ? await store.GetAsync(id, cancellationToken) : null;
            outcome = decision is null || entry.TicketId is null
                ? new Outcome("its decision is not on record (not yet written, or purged or erased)")
                : await SendAsync(entry.TicketId, decision.Record.DecisionId, decision.Record.Answer, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = new Outcome(Contracts.Privacy.Clean(ex.Message)); // A timeout, a refused connection, an unreadable ticket.
        }
        try
        {
            if (outcome.Failure is null)
            {
                await store.FinishWriteBackAsync(entry.EventId, "done", attempts, null, null, cancellationToken);
                _written?.Add(1);
                return;
            }
            if (outcome.Final || attempts >= Options.MaxAttempts)
            {
                await store.FinishWriteBackAsync(entry.EventId, "dead", attempts, null, outcome.Failure, cancellationToken);
                _dead?.Add(1);
                LogDeadLetter(Contracts.Privacy.ForLog(entry.TicketId), attempts, outcome.Failure);
                return;
            }
            var wait = outcome.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(3600, Options.FirstRetrySeconds * Math.Pow(2, attempts - 1)));
            await store.FinishWriteBackAsync(entry.EventId, "pending", attempts, time.GetUtcNow() + wait, outcome.Failure, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store went away mid-way: the entry is taken again once its hold is over.
        }
    }

    /// <summary>An attempt's result: no failure (written), or why not, whether it will never change, and when to try again.</summary>
    private sealed record Outcome(string? Failure, bool Final = false, TimeSpan? RetryAfter = null);

    private async Task<Outcome> SendAsync(string ticketId, string decisionId, string answerJson, CancellationToken cancellationToken)
    {
        var url = $"{Options.BaseUrl.TrimEnd('/')}/troubleTicket/{Uri.EscapeDataString(ticketId)}";
        var client = http.CreateClient(Client);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2 * Options.TimeoutSeconds));
        using var read = Request(HttpMethod.Get, url, null);
        using var current = await client.SendAsync(read, timeout.Token);
        if (!current.IsSuccessStatusCode)
        {
            return Refused(current, "reading the ticket");
        }
        var ticket = JsonNode.Parse(await current.Content.ReadAsStringAsync(timeout.Token)) as JsonObject
            ?? throw new JsonException("the ticket system's ticket is no JSON object");
        if ((ticket["externalIdentifier"] as JsonArray)?.Any(e => (string?)e?["id"] == decisionId) == true)
        {
            return new Outcome(null); // Written before (a retry after a write that landed): nothing twice.
        }
        using var write = Request(HttpMethod.Patch, url, new StringContent(MergePatch(ticket, decisionId, answerJson, time.GetUtcNow()).ToJsonString(),
            Encoding.UTF8, "application/merge-patch+json"));
        using var response = await client.SendAsync(write, timeout.Token);
        return response.IsSuccessStatusCode ? new Outcome(null) : Refused(response, "writing the finding");
    }

    private HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (Options.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token);
        }
        return request;
    }

    /// <summary>A refusal: final for a 4xx that asking again will not change (but 408, 409, 425, 429); waiting as long as
    /// its Retry-After says, when it says.</summary>
    private static Outcome Refused(HttpResponseMessage response, string doing)
    {
        var code = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter is { } after ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null) : null;
        return new Outcome($"{doing}, the ticket system answered {code} {response.ReasonPhrase}",
            Final: code is >= 400 and < 500 and not (408 or 409 or 425 or 429),
            RetryAfter: retryAfter is { } wait && wait > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Min(3600, wait.TotalSeconds)) : null);
    }

    /// <summary>The finding as a JSON merge patch of the ticket read: its lists with ours added (a merge patch replaces a
    /// list whole, so the ticket's own entries are sent back with it).</summary>
    public static JsonObject MergePatch(JsonObject ticket, string decisionId, string answerJson, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var patch = new JsonObject();
        foreach (var op in Additions(decisionId, answerJson, now))
        {
            var path = (string)op!["path"]!;
            var value = op["value"]!.DeepClone();
            if (path.EndsWith("/-", StringComparison.Ordinal))
            {
                var list = path[1..^2];
                if (patch[list] is not JsonArray merged)
                {
                    merged = ticket[list] is JsonArray own ? (JsonArray)own.DeepClone() : [];
                    patch[list] = merged;
                }
                merged.Add(value);
            }
            else
            {
                patch[path[1..]] = value;
            }
        }
        return patch;
    }

    /// <summary>What the finding adds to the ticket, as JSON Patch operations (TMF630).</summary>
    public static JsonArray Additions(string decisionId, string answerJson, DateTimeOffset now)
    {
        using var answer = JsonDocument.Parse(answerJson);
        var root = answer.RootElement;
        string? Text(params string[] path)
        {
            var at = root;
            foreach (var key in path)
            {
                if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(key, out at))
                {
                    return null;
                }
            }
            return at.ValueKind == JsonValueKind.String ? at.GetString() : null;
        }
        var (cause, label, route, reply) = (Text("cause", "code"), Text("cause", "label"), Text("route"), Text("reply", "text"));
        var note = $"ComplaintDiagnostics {decisionId}: {cause}{(label is null ? "" : $" ({label})")}, route {route}.{(reply is null ? "" : " " + reply)}";
        JsonObject Characteristic(string name, string? value) =>
            new() { ["@type"] = "StringCharacteristic", ["name"] = name, ["valueType"] = "string", ["value"] = value };
        var patch = new JsonArray(
            new JsonObject { ["op"] = "add", ["path"] = "/note/-", ["value"] = new JsonObject { ["@type"] = "Note", ["author"] = "ComplaintDiagnostics", ["date"] = now.ToString("O"), ["text"] = note } },
            new JsonObject { ["op"] = "add", ["path"] = "/troubleTicketCharacteristic/-", ["value"] = Characteristic("probableCause", cause) },
            new JsonObject { ["op"] = "add", ["path"] = "/troubleTicketCharacteristic/-", ["value"] = Characteristic("route", route) },
            new JsonObject { ["op"] = "add", ["path"] = "/troubleTicketCharacteristic/-", ["value"] = Characteristic("decisionId", decisionId) },
            new JsonObject
            {
                ["op"] = "add", ["path"] = "/externalIdentifier/-",
                ["value"] = new JsonObject { ["@type"] = "ExternalIdentifier", ["id"] = decisionId, ["owner"] = "ComplaintDiagnostics", ["externalIdentifierType"] = "decisionId" },
            });
        if (Text("deadlines", "resolveBy") is { } resolveBy)
        {
            patch.Add(new JsonObject { ["op"] = "add", ["path"] = "/expectedResolutionDate", ["value"] = resolveBy });
        }
        return patch;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TMF621 write-back: the decision store did not answer ({Reason}); findings wait in it")]
    private partial void LogStoreAway(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "TMF621 write-back: gave up on ticket {TicketId} after {Attempts} attempt(s) ({Reason}): a dead letter")]
    private partial void LogDeadLetter(string ticketId, int attempts, string reason);
}

internal static class TicketWriteBackServices
{
    public static IServiceCollection AddTicketWriteBack(this IServiceCollection services)
    {
        services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.Section, Core.ServiceCollectionExtensions.Strictly)
            .ValidateDataAnnotations().ValidateOnStart();
        // No redirects: a 303 would turn the write into a GET that looks like success, and carry the token elsewhere.
        services.AddHttpClient(TicketWriteBack.Client).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.AddHostedService<TicketWriteBack>();
        return services;
    }
}
