using System.Text.Json;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Endpoints;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Record;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Tmf621;

/// <summary>
/// The TM Forum TMF621 trouble-ticket feed: the listeners a ticket system's hub calls (TMF621 v5 listener paths, TMF688
/// envelope). A created complaint ticket is diagnosed and recorded like any complaint (same rules, same record, same
/// audit); a resolved ticket, or one whose status changes with a cause, records its confirmed cause as an outcome. Each
/// event is handled once by its id, across replicas (the decision store keeps the ids); an event for a ticket the service
/// never saw is accepted and listed; one that cannot be read is a problem naming the part. The service is not the
/// ticket system of record: it listens, diagnoses, records.
/// </summary>
internal static class TroubleTicketFeed
{
    public const string Listener = "/tmf-api/troubleTicket/v5/listener";
    public const string Created = "troubleTicketCreateEvent";
    public const string StatusChanged = "troubleTicketStatusChangeEvent";
    public const string Resolved = "troubleTicketResolvedEvent";

    /// <summary>The largest event read: a ticket with its notes and characteristics, not a file.</summary>
    public const int MaxEventBytes = 256 * 1024;

    /// <summary>An event id or ticket id: 1 to 200 visible characters (they are keys in the record).</summary>
    public const int MaxIdLength = 200;

    /// <summary>How long a claim on an event lasts before a redelivery may take it over (the handler died, or its caller
    /// went away): longer than any diagnosis's time budget.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>Statuses after which a ticket's cause is final (TMF621 v5 TroubleTicketStatusType).</summary>
    private static readonly HashSet<string> Final = new(["resolved", "closed"], StringComparer.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapTroubleTicketFeed(this IEndpointRouteBuilder app)
    {
        // Complaint traffic, as diagnose is: the diagnose limit when one is configured (none by default), not the
        // operations limit of 30 a minute meant for people's tools.
        var listener = app.MapGroup(Listener).WithTags("TMF621 trouble-ticket feed")
            .RequireApiKey(app, KeyScope.Operations).RequireDiagnoseLimit(app);
        listener.MapPost($"/{Created}", CreatedAsync).WithName("TroubleTicketCreateEvent")
            .WithSummary("A trouble ticket was created: a complaint ticket is diagnosed and recorded (204, X-Decision-Id)");
        listener.MapPost($"/{StatusChanged}", Outcome(StatusChanged))
            .WithName("TroubleTicketStatusChangeEvent").WithSummary("A ticket's status changed: resolved or closed with a cause, the cause is recorded as confirmed");
        listener.MapPost($"/{Resolved}", Outcome(Resolved))
            .WithName("TroubleTicketResolvedEvent").WithSummary("A ticket was resolved: its cause is recorded as confirmed");
        app.MapGet("/api/v1/tmf621/events", ListAsync).WithTags("TMF621 trouble-ticket feed").WithName("ListTicketEvents")
            .WithSummary("The feed's events handled, newest first (unknownOnly=true: those for tickets the service had never seen)")
            .RequireApiKey(app, KeyScope.Operations).RequireRateLimiting(RateLimiting.OperationsPolicy);
        return app;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> CreatedAsync(
        HttpRequest request, RuleSetHolder holder, AuditedDiagnoser diagnoser, IDecisionStore store, DecisionLog log, TimeProvider time,
        IOptions<DiagnoseOptions> limits, IOptions<JsonOptions> json, IOptions<WriteBackOptions> writeBack, CancellationToken cancellationToken)
    {
        var (envelope, invalid) = await EnvelopeAsync(request, Created, limits.Value, cancellationToken);
        if (envelope is null)
        {
            return invalid!;
        }
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        if (TicketEventReader.Text(envelope.Ticket, "ticketType") is { } type && !rules.TicketMapping.TicketTypes.Contains(type.Trim()))
        {
            return TypedResults.NoContent(); // Not a complaint: acknowledged, nothing to diagnose.
        }
        if (BadId(TicketEventReader.Text(envelope.Ticket, "id"), $"{TicketEventReader.TicketPath}.id", required: false) is { } badId)
        {
            return badId;
        }
        var (complaintJson, origins, repeated) = TicketEventReader.ToComplaint(envelope.Ticket, rules.TicketMapping);
        if (repeated.Count > 0)
        {
            return Problems.Invalid(repeated, "The trouble ticket cannot be read as a complaint.");
        }
        var (complaint, errors) = ComplaintReader.Read(JsonSerializer.SerializeToUtf8Bytes(complaintJson), json.Value.SerializerOptions, limits.Value.MaxTextLength);
        if (complaint is null)
        {
            return Problems.Invalid(TicketEventReader.Located(errors, origins), "The trouble ticket cannot be read as a complaint.");
        }
        // Written back off the request, once the decision is on record (the recorder writes within a fifth of a second).
        var writeBackAt = writeBack.Value.Enabled ? time.GetUtcNow().AddSeconds(1) : (DateTimeOffset?)null;
        return await OnceAsync(request, store, log, new TicketEvent(envelope.EventId, Created, complaint.TicketId, time.GetUtcNow()), limits.Value.TimeBudgetMilliseconds, async () =>
        {
            var answer = await diagnoser.DiagnoseAsync(rules, complaint, DiagnoseEndpoints.Languages(request),
                TimeSpan.FromMilliseconds(limits.Value.TimeBudgetMilliseconds), request.HttpContext.TraceIdentifier, cancellationToken);
            return answer is null ? null : (answer.DecisionId, true, answer.DecisionId is null ? null : writeBackAt);
        }, cancellationToken);
    }

    /// <summary>The listener of an event that may confirm a ticket's cause.</summary>
    private static Func<HttpRequest, RuleSetHolder, IDecisionStore, DecisionLog, TimeProvider, IOptions<DiagnoseOptions>, CancellationToken,
        Task<Results<NoContent, ValidationProblem, ProblemHttpResult>>> Outcome(string eventType) =>
        (request, holder, store, log, time, limits, cancellationToken) => OutcomeAsync(request, eventType, holder, store, log, time, limits, cancellationToken);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> OutcomeAsync(
        HttpRequest request, string eventType, RuleSetHolder holder, IDecisionStore store, DecisionLog log, TimeProvider time,
        IOptions<DiagnoseOptions> limits, CancellationToken cancellationToken)
    {
        var (envelope, invalid) = await EnvelopeAsync(request, eventType, limits.Value, cancellationToken);
        if (envelope is null)
        {
            return invalid!;
        }
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        var ticket = envelope.Ticket;
        var ticketId = TicketEventReader.Text(ticket, "id"); // As its created event recorded it: not trimmed.
        if (BadId(ticketId, $"{TicketEventReader.TicketPath}.id", required: true) is { } badId)
        {
            return badId;
        }
        var status = TicketEventReader.Text(ticket, "status");
        var final = eventType == Resolved || (status is not null && Final.Contains(status.Trim()));
        var (cause, unknown) = final ? TicketEventReader.ConfirmedCause(ticket, rules) : (null, null);
        if (unknown is not null)
        {
            return Problems.Invalid(unknown, "The confirmed cause cannot be read.");
        }
        var handled = new TicketEvent(envelope.EventId, eventType, ticketId, time.GetUtcNow());
        if (cause is null)
        {
            // Nothing confirmed (not resolved or closed, or a reason in words): acknowledged, and kept in the list, so an
            // event about a ticket the service never saw is seen.
            return await OnceAsync(request, store, log, handled, limits.Value.TimeBudgetMilliseconds, async () =>
                ((string?)null, (await store.KnownTicketsAsync([ticketId!], cancellationToken)).Contains(ticketId!), (DateTimeOffset?)null), cancellationToken);
        }
        // A resolution time without its offset is not read in the server's zone, and one still to come would rank above every
        // later outcome of the ticket: either way the outcome counts from its arrival.
        var resolvedAt = Contracts.ContractJson.TryParseTimestamp(TicketEventReader.Text(ticket, "resolutionDate"), out var resolved)
            && resolved <= time.GetUtcNow() + Contracts.FollowUpRequestValidation.ClockSkew ? resolved : (DateTimeOffset?)null;
        return await OnceAsync(request, store, log, handled, limits.Value.TimeBudgetMilliseconds, async () =>
        {
            var known = await store.KnownTicketsAsync([ticketId!], cancellationToken);
            await store.RecordOutcomesAsync([new OutcomeWrite(ticketId!, cause, resolvedAt, envelope.EventId)], time.GetUtcNow(), cancellationToken);
            return ((string?)null, known.Contains(ticketId!), (DateTimeOffset?)null);
        }, cancellationToken);
    }

    /// <summary>A problem for an id that is missing (when required), too long, or holds control or invisible characters.</summary>
    private static ValidationProblem? BadId(string? id, string at, bool required) =>
        id is null ? (required ? Problems.Invalid(new Dictionary<string, string[]> { [at] = ["required: the ticket the event is about."] }, "The event cannot be read.") : null)
        : id.Trim().Length is > 0 and <= MaxIdLength && id is not ("." or "..") && !id.Any(c => char.IsControl(c) || Contracts.Privacy.IsInvisible(c))
            ? null
            : Problems.Invalid(new Dictionary<string, string[]> { [at] = [$"expected text of 1 to {MaxIdLength} visible characters."] }, "The event cannot be read.");

    /// <summary>Handles an event once by its id (the store decides between replicas). A repeat answers as the first did once
    /// that has finished; while it is being handled, 503 with Retry-After; an id reused for another ticket or event, 409.
    /// Whatever stops the handling (a failure, the caller gone) lets the claim go, and a claim whose handler died is taken
    /// over after its lease.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> OnceAsync(HttpRequest request, IDecisionStore store, DecisionLog log,
        TicketEvent ticketEvent, int budget, Func<Task<(string? DecisionId, bool Known, DateTimeOffset? WriteBackAt)?>> handle, CancellationToken cancellationToken)
    {
        var claimed = false;
        try
        {
            if (log.Enabled)
            {
                var (taken, earlier) = await store.ClaimEventAsync(ticketEvent, Lease, cancellationToken);
                if (!taken)
                {
                    return Repeat(request, ticketEvent, earlier);
                }
                claimed = true;
            }
            var handled = await handle();
            if (handled is not { } result)
            {
                return Problems.TooSlow(budget);
            }
            if (log.Enabled)
            {
                await store.CompleteEventAsync(ticketEvent.EventId, result.DecisionId, result.Known, result.WriteBackAt, CancellationToken.None);
                claimed = false;
            }
            if (result.DecisionId is { } decisionId)
            {
                request.HttpContext.Response.Headers[DiagnoseEndpoints.DecisionIdHeader] = decisionId;
            }
            return TypedResults.NoContent();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The decision store is not answering.",
                detail: "The event was not handled; deliver it again (it is handled once by its id).");
        }
        finally
        {
            if (claimed)
            {
                await ReleaseAsync(store, ticketEvent.EventId);
            }
        }
    }

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> Repeat(HttpRequest request, TicketEvent ticketEvent, TicketEvent? earlier)
    {
        if (earlier is not null && (earlier.EventType != ticketEvent.EventType || earlier.TicketId != ticketEvent.TicketId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This event id was used for another event.",
                detail: $"Event {ticketEvent.EventId} was a {earlier.EventType} about another ticket: an event id names one event.");
        }
        if (earlier is { KnownTicket: null })
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "This event is being handled.",
                detail: "Another delivery of the same event is being handled now; deliver it again in a moment.");
        }
        if (earlier?.DecisionId is { } before)
        {
            request.HttpContext.Response.Headers[DiagnoseEndpoints.DecisionIdHeader] = before;
        }
        return TypedResults.NoContent();
    }

    private static async Task ReleaseAsync(IDecisionStore store, string eventId)
    {
        try
        {
            await store.ReleaseEventAsync(eventId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            // The store is away: the claim stays until its lease is over, then a redelivery takes it.
        }
    }

    private static async Task<(TicketEventEnvelope? Envelope, Results<NoContent, ValidationProblem, ProblemHttpResult>? Invalid)> EnvelopeAsync(
        HttpRequest request, string eventType, DiagnoseOptions limits, CancellationToken cancellationToken)
    {
        var body = await ContractBody.ReadAsync(request, MaxEventBytes, cancellationToken);
        if (body is null)
        {
            return (null, Problems.TooLarge(MaxEventBytes));
        }
        JsonDocument? document;
        try
        {
            // Exactly as written in the parts the listener reads; a vendor's own fields are passed over (ExactJson).
            (document, var unreadable) = ExactJson.Parse(body, 64, TicketEventReader.Reads);
            if (unreadable is not null)
            {
                return (null, Problems.Invalid(unreadable, "The event cannot be read."));
            }
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = [$"not JSON: {ex.Message}"] }, "The event cannot be read."));
        }
        using (document)
        {
            var (envelope, errors) = TicketEventReader.ReadEnvelope(document!.RootElement, eventType);
            return envelope is null ? (null, Problems.Invalid(errors, "The event cannot be read.")) : (envelope, null);
        }
    }

    private static async Task<Results<Ok<TicketEventList>, ValidationProblem>> ListAsync(
        HttpRequest request, IDecisionStore store, bool? unknownOnly, int? limit, CancellationToken cancellationToken) =>
        DecisionQuery.Unknown(request.Query, ["unknownOnly", "limit"]) is { Count: > 0 } errors ? Problems.Invalid(errors, "The query is not valid.")
            : TypedResults.Ok(new TicketEventList(await store.ListEventsAsync(Math.Clamp(limit ?? 100, 1, 1000), unknownOnly ?? false, cancellationToken)));
}

internal sealed record TicketEventList(IReadOnlyList<TicketEvent> Items);
