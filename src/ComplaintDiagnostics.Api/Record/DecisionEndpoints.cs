using System.Globalization;
using System.Text.Json;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>The decision record over HTTP (contract, "Decisions and outcomes"): one decision, the filtered list,
/// erasure of a ticket, confirmed causes coming back, and the rules judged on them. All need an operations key once
/// keys are configured: the record holds every customer's complaint (without personal data, but a complaint still).</summary>
internal static class DecisionEndpoints
{
    public const int MaxOutcomes = 10_000;
    private const int MaxListLimit = 500;
    private const string NotOutcomes = "The request is not a valid list of outcomes.";
    private const string NotAQuery = "The query is not valid.";

    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        var decisions = app.MapGroup("/api/v1/decisions").WithTags("Decisions")
            .RequireApiKey(app, KeyScope.Operations).RequireRateLimiting(RateLimiting.OperationsPolicy);
        decisions.MapGet("/{decisionId}", GetAsync).WithName("GetDecision")
            .WithSummary("One recorded decision: the complaint (without personal data), the answer as sent, the rules and row that decided, and its ticket's confirmed cause")
            .ProducesProblem(StatusCodes.Status404NotFound);
        decisions.MapGet("", ListAsync).WithName("ListDecisions")
            .WithSummary("Recorded decisions, newest first, filtered; pass the answer's next as after for the next page")
            .ProducesValidationProblem();
        decisions.MapDelete("", EraseAsync).WithName("EraseTicket")
            .WithSummary("Erase every decision and outcome of a ticket (a customer's request to be forgotten)")
            .ProducesValidationProblem();
        app.MapPost("/api/v1/outcomes", RecordOutcomesAsync).WithTags("Decisions").WithName("RecordOutcomes")
            .WithSummary("Confirmed causes from the ticket system: [{ ticketId, confirmedCause, resolvedAt?, eventId? }], at most 10,000")
            .WithDescription("confirmedCause is a cause code or its label in any language of the rules, read as replay reads it. The same (ticketId, eventId) "
                + "twice counts once (without eventId, the same cause and resolvedAt are the same event); the same (ticketId, eventId) with another cause is listed in "
                + "conflicts and not recorded. A later outcome (by resolvedAt, else by arrival) replaces an earlier one; both are kept. "
                + "Tickets with no decision on record are recorded and listed; causes the rules do not have are listed with the code meant and not recorded.")
            .Accepts<OutcomeInput[]>("application/json")
            .RequireApiKey(app, KeyScope.Operations).RequireRateLimiting(RateLimiting.OperationsPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/api/v1/rules/performance", PerformanceAsync).WithTags("Decisions").WithName("GetRulePerformance")
            .WithSummary("Per rule and per cause over recorded live diagnoses: hits, tickets with an outcome, precision with its 95% interval, and what they were confirmed as instead")
            .RequireApiKey(app, KeyScope.Reading).RequireRateLimiting(RateLimiting.OperationsPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> GetAsync(
        string decisionId, IDecisionStore store, CancellationToken cancellationToken)
    {
        var found = DecisionId.IsWellFormed(decisionId) ? await store.GetAsync(decisionId, cancellationToken) : null;
        return found is null ? Problems.NoSuchDecision() : TypedResults.Ok(DecisionView.Of(found));
    }

    private static async Task<Results<Ok<DecisionPage>, ValidationProblem>> ListAsync(
        HttpRequest request, IDecisionStore store, RuleSetHolder holder, IOptions<DiagnoseOptions> limits, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var errors = DecisionQuery.Unknown(query, ListKeys);
        var filter = new DecisionFilter(
            TicketId: DecisionQuery.TicketId(query, errors, limits.Value.MaxTextLength),
            From: DecisionQuery.Time(query, "from", errors),
            To: DecisionQuery.Time(query, "to", errors),
            Cause: DecisionQuery.Cause(DecisionQuery.Text(query, "cause", errors), holder, errors),
            Rule: DecisionQuery.Text(query, "rule", errors),
            RulesVersion: DecisionQuery.Text(query, "rulesVersion", errors),
            Mode: DecisionQuery.Text(query, "mode", errors)?.ToLowerInvariant(),
            Limit: 50,
            After: DecisionQuery.Text(query, "after", errors));
        if (filter.Mode is { } mode && mode is not (DecisionMode.Live or DecisionMode.Shadow))
        {
            errors["mode"] = ["must be live or shadow."];
        }
        if (filter.After is { } after && !DecisionId.IsWellFormed(after))
        {
            errors["after"] = ["must be the next value of a previous page (a decision id)."];
        }
        var limit = 50;
        if (DecisionQuery.Text(query, "limit", errors) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxListLimit}."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, NotAQuery);
        }
        var items = await store.ListAsync(filter with { Limit = limit }, cancellationToken);
        return TypedResults.Ok(new DecisionPage(
            [.. items.Select(DecisionView.Of)], items.Count == limit ? items[^1].Record.DecisionId : null));
    }

    private static async Task<Results<Ok<ErasedView>, ValidationProblem>> EraseAsync(
        HttpRequest request, IDecisionStore store, TimeProvider time, IOptions<DiagnoseOptions> limits, CancellationToken cancellationToken)
    {
        var errors = DecisionQuery.Unknown(request.Query, ["ticketId"]);
        if (DecisionQuery.TicketId(request.Query, errors, limits.Value.MaxTextLength) is not { } ticketId)
        {
            errors.TryAdd("ticketId", ["required: the ticket whose decisions and outcomes are erased."]);
            return Problems.Invalid(errors, NotAQuery);
        }
        return errors.Count > 0 ? Problems.Invalid(errors, NotAQuery) : TypedResults.Ok(new ErasedView(ticketId, await store.EraseTicketAsync(ticketId, time.GetUtcNow(), cancellationToken)));
    }

    private static async Task<Results<Ok<OutcomesView>, ValidationProblem, ProblemHttpResult>> RecordOutcomesAsync(
        HttpRequest request, IDecisionStore store, RuleSetHolder holder, TimeProvider time, IOptions<DiagnoseOptions> limits,
        CancellationToken cancellationToken)
    {
        var read = await ContractBody.ReadDocumentAsync(request, 16 << 20, 4, NotOutcomes, cancellationToken, exact: true);
        if (read.TooLarge is { } tooLarge)
        {
            return tooLarge;
        }
        if (read.Invalid is { } invalid)
        {
            return invalid;
        }
        using var document = read.Document!;
        if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() > MaxOutcomes)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["$"] = [$"expected a JSON array of at most {MaxOutcomes:N0} outcomes."] }, NotOutcomes);
        }
        var (outcomes, errors) = OutcomeReader.Read(document.RootElement, DecisionQuery.MaxIdLength, limits.Value.MaxTextLength, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, NotOutcomes);
        }
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        var causes = rules.ConfirmedCauses;
        var unknownCauses = new List<UnknownCauseView>();
        var writes = new List<OutcomeWrite>();
        foreach (var outcome in outcomes)
        {
            var code = causes.Resolve(outcome.ConfirmedCause!);
            if (!causes.IsCode(code))
            {
                unknownCauses.Add(new UnknownCauseView(outcome.ConfirmedCause!, causes.Meant(outcome.ConfirmedCause!)));
                continue;
            }
            writes.Add(new OutcomeWrite(outcome.TicketId!, code, outcome.ResolvedAt, outcome.EventId ?? OutcomeReader.ContentEventId(code, outcome.ResolvedAt)));
        }
        try
        {
            // Which tickets the record knows, before anything is written: a failure after it leaves nothing recorded.
            var tickets = writes.Select(w => w.TicketId).Distinct(StringComparer.Ordinal).ToList();
            var known = await store.KnownTicketsAsync(tickets, cancellationToken);
            var counts = await store.RecordOutcomesAsync(writes, time.GetUtcNow(), cancellationToken);
            return TypedResults.Ok(new OutcomesView(counts.Recorded, counts.Duplicates, [.. tickets.Where(t => !known.Contains(t))],
                [.. unknownCauses.DistinctBy(u => u.Given, StringComparer.Ordinal)], counts.Conflicts));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The decision store is not answering.",
                detail: "Nothing of this call was recorded; send it again (the same events count once). See GET /api/v1/rules/status.");
        }
    }

    private static async Task<Results<Ok<PerformanceReport>, ValidationProblem>> PerformanceAsync(
        HttpRequest request, IDecisionStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = DecisionQuery.Unknown(request.Query, ["days"]);
        var days = DecisionQuery.Days(request.Query, errors, most: 3660);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, NotAQuery);
        }
        return TypedResults.Ok(await RulePerformance.ReadAsync(store, days, time.GetUtcNow(), cancellationToken));
    }

    private static readonly string[] ListKeys = ["ticketId", "from", "to", "cause", "rule", "rulesVersion", "mode", "limit", "after"];
}

internal sealed record UnknownCauseView(string Given, string? Meant);

/// <summary>What <c>POST /api/v1/outcomes</c> did. <paramref name="Conflicts"/>: events on record with another cause
/// (<c>{ ticketId, eventId, recorded, given }</c>), neither repeats nor recorded; an empty list when there are none.</summary>
internal sealed record OutcomesView(int Recorded, int Duplicates, IReadOnlyList<string> UnknownTickets, IReadOnlyList<UnknownCauseView> UnknownCauses,
    IReadOnlyList<OutcomeConflict> Conflicts);

internal sealed record ErasedView(string TicketId, int Erased);

/// <param name="Next">Pass as <c>after</c> for the next page; null on the last.</param>
internal sealed record DecisionPage(IReadOnlyList<DecisionView> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Next);

internal sealed record DecidedBy(string Workflow, string Rule);

/// <summary>A decision as the contract shows it; request and answer are the JSON as kept.</summary>
/// <param name="GitCommit">The Git commit holding the rules that answered, when the rules folder was a Git working tree at it.</param>
/// <param name="ShadowOf">A shadow decision's live decision.</param>
/// <param name="Proposal">A shadow decision's proposal.</param>
internal sealed record DecisionView(
    string DecisionId, string Kind, string Mode, DateTimeOffset RecordedAt, string? TicketId, string RulesVersion, string? GitCommit, string? Release,
    DecidedBy DecidedBy, JsonElement Request, JsonElement Answer, StoredOutcome? Outcome, string? ShadowOf, string? Proposal)
{
    public static DecisionView Of(StoredDecision stored)
    {
        var r = stored.Record;
        return new DecisionView(r.DecisionId, r.Kind, r.Mode, r.RecordedAt, r.TicketId, r.RulesVersion, stored.GitCommit, r.Release,
            new DecidedBy(r.Workflow, r.Rule), Parse(r.Request), Parse(r.Answer), stored.Outcome, r.ShadowOf, r.Proposal);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
