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

    /// <summary>Attempts before a finding is given up as a dead letter (counted, kept on its event).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; each next one doubles, up to an hour.</summary>
    [Range(0.05, 3600)]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public bool Enabled => BaseUrl.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0))
        {
            yield return new("Tmf621:WriteBack:BaseUrl must be the ticket system's TMF621 API as an http(s) URL without credentials (give the token in Tmf621:WriteBack:Token).", [nameof(BaseUrl)]);
        }
    }
}

/// <summary>
/// Writes each diagnosed ticket's finding back onto the ticket in the ticket system (TMF621 <c>PATCH /troubleTicket/{id}</c>
/// with a JSON Patch that adds, and never replaces, what the ticket has): a note with the probable cause, the route and
/// the reply; characteristics <c>probableCause</c>, <c>route</c> and <c>decisionId</c>; the resolve-by deadline as
/// <c>expectedResolutionDate</c>; the decision as an external identifier. The queue is the decision store's event rows,
/// so a restart or a ticket system that is down loses nothing and the listener never waits for it: attempts back off
/// (doubling from <see cref="WriteBackOptions.FirstRetrySeconds"/>), and after <see cref="WriteBackOptions.MaxAttempts"/>
/// a finding is a dead letter, counted (<c>complaintdiagnostics_tmf621_writeback_dead_letters_total</c>) and kept.
/// </summary>
internal sealed partial class TicketWriteBack(
    IOptions<WriteBackOptions> options, IDecisionStore store, IHttpClientFactory http, TimeProvider time, IMeterFactory meters,
    ILogger<TicketWriteBack> logger) : BackgroundService
{
    public const string Client = "tmf621-writeback";
    private const int Batch = 50;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Taken = TimeSpan.FromMinutes(2);

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
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                LogStoreAway(ex.Message); // The store is away: the entries wait in it.
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
        string? failure;
        try
        {
            var decision = entry.DecisionId is { } id ? await store.GetAsync(id, cancellationToken) : null;
            failure = decision is null || entry.TicketId is null
                ? "its decision is not on record (not yet written, or purged or erased)"
                : await SendAsync(entry.TicketId, decision.Record.DecisionId, decision.Record.Answer, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            failure = ex.Message;
        }
        if (failure is null)
        {
            await store.FinishWriteBackAsync(entry.EventId, "done", attempts, null, null, cancellationToken);
            _written?.Add(1);
            return;
        }
        if (attempts >= Options.MaxAttempts)
        {
            await store.FinishWriteBackAsync(entry.EventId, "dead", attempts, null, failure, cancellationToken);
            _dead?.Add(1);
            LogDeadLetter(entry.TicketId!, attempts, failure);
            return;
        }
        var wait = TimeSpan.FromSeconds(Math.Min(3600, Options.FirstRetrySeconds * Math.Pow(2, attempts - 1)));
        await store.FinishWriteBackAsync(entry.EventId, "pending", attempts, time.GetUtcNow() + wait, failure, cancellationToken);
    }

    /// <returns>Null when the ticket system took it; else why not.</returns>
    private async Task<string?> SendAsync(string ticketId, string decisionId, string answerJson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Options.BaseUrl.TrimEnd('/')}/troubleTicket/{Uri.EscapeDataString(ticketId)}")
        {
            Content = new StringContent(Patch(decisionId, answerJson, time.GetUtcNow()).ToJsonString(), Encoding.UTF8, "application/json-patch+json"),
        };
        if (Options.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Options.TimeoutSeconds));
        using var response = await http.CreateClient(Client).SendAsync(request, timeout.Token);
        return response.IsSuccessStatusCode ? null : $"the ticket system answered {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    /// <summary>The finding as a TMF621 JSON Patch (TMF630): everything added to the ticket's lists, nothing replaced.</summary>
    public static JsonArray Patch(string decisionId, string answerJson, DateTimeOffset now)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "TMF621 write-back: gave up on ticket {TicketId} after {Attempts} attempts ({Reason}): a dead letter")]
    private partial void LogDeadLetter(string ticketId, int attempts, string reason);
}

internal static class TicketWriteBackServices
{
    public static IServiceCollection AddTicketWriteBack(this IServiceCollection services)
    {
        services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.Section, Core.ServiceCollectionExtensions.Strictly)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(TicketWriteBack.Client);
        services.AddHostedService<TicketWriteBack>();
        return services;
    }
}
