using System.Text.Json;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>
/// "Why did ticket 10010-… get that reply last Tuesday?" (domain.md v3): the table that decided a recorded decision
/// as it stood then, with the deciding row marked, and the same complaint answered again by the rules that answered
/// it and by those in service now, with what differs. The page <c>/decisions/{id}</c> shows both.
/// </summary>
internal static class DecisionExplainEndpoints
{
    public static IEndpointRouteBuilder MapDecisionExplain(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/decisions/{decisionId}").WithTags("Decisions")
            .RequireApiKey(app, KeyScope.Operations).RequireRateLimiting(RateLimiting.OperationsPolicy);
        group.MapGet("/table", TableAsync).WithName("GetDecisionTable")
            .WithSummary("The workflow that decided, as it stood when the decision was made, with the deciding row marked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/reproduce", ReproduceAsync).WithName("ReproduceDecision")
            .WithSummary("The recorded complaint answered again by the rules that answered it and by those in service now, with the differences")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/decisions/{decisionId}", (string decisionId) => TypedResults.Content(Page.Value, "text/html; charset=utf-8"))
            .WithName("DecisionPage").ExcludeFromDescription();
        return app;
    }

    private static readonly Lazy<string> Page = new(() => EmbeddedPage.Read("ComplaintDiagnostics.Api.Record.decision.html"));

    private static async Task<Results<Ok<DecisionTableView>, ProblemHttpResult>> TableAsync(
        string decisionId, IDecisionStore store, RuleSetArchive archive, CancellationToken cancellationToken)
    {
        if (await FindAsync(decisionId, store, cancellationToken) is not { } decision)
        {
            return Problems.NoSuchDecision();
        }
        var record = decision.Record;
        var rules = await archive.AtAsync(record.RulesVersion, cancellationToken);
        var workflow = rules?.Workflows.FirstOrDefault(w => string.Equals(w.Name, record.Workflow, StringComparison.Ordinal));
        if (workflow is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The table is not on record.",
                detail: $"The record does not hold rules version {record.RulesVersion}, or it has no workflow {record.Workflow}.");
        }
        return TypedResults.Ok(new DecisionTableView(record.RulesVersion, workflow.Name, workflow.File, record.Rule,
            [.. workflow.Rules.Select(r => new TableRowView(r.Name, r.Line, r.Table?.Cells, r.Table is null ? r.Expression : null,
                r.Outcome.Cause, r.Outcome.Route is { } route ? ContractJson.WireName(route) : null, r.Outcome.Reply,
                string.Equals(r.Name, record.Rule, StringComparison.Ordinal), r.Table is { } t ? [.. t.MustState, .. t.AskFor] : null))]));
    }

    private static async Task<Results<Ok<ReproductionView>, ProblemHttpResult>> ReproduceAsync(
        string decisionId, IDecisionStore store, RuleSetArchive archive, RuleSetHolder holder, Diagnoser diagnoser, CancellationToken cancellationToken)
    {
        if (await FindAsync(decisionId, store, cancellationToken) is not { } decision)
        {
            return Problems.NoSuchDecision();
        }
        var record = decision.Record;
        if (record.Kind != DecisionKind.Diagnose)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Only a diagnosis is reproduced.",
                detail: "A follow-up's answer depends on the time it was judged at; see its answer as recorded.");
        }
        var request = JsonSerializer.Deserialize<DiagnoseRequest>(record.Request, ContractJson.Options)!;
        using var answer = JsonDocument.Parse(record.Answer);
        var language = answer.RootElement.TryGetProperty("reply", out var reply) && reply.TryGetProperty("language", out var tag) ? tag.GetString() : null;
        // What the area look-up gave the rules then is given again: the complaint is kept as received.
        if (answer.RootElement.TryGetProperty("trace", out var trace) && trace.TryGetProperty("lookedUp", out var facts)
            && facts.EnumerateArray().FirstOrDefault(f => f.GetProperty("field").GetString() == AreaLookup.Field) is { ValueKind: JsonValueKind.Object } fact
            && fact.TryGetProperty("value", out var looked) && looked.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            request = AreaLookup.AsLookedUp(request, looked.GetBoolean());
        }
        string[] languages = language is null ? [] : [language];
        var then = await archive.AtAsync(record.RulesVersion, cancellationToken);
        var now = holder.Current;
        var thenAnswer = then is null ? null : Summary.Of(await diagnoser.DiagnoseAsync(then, request, languages, cancellationToken));
        var nowAnswer = now is null ? null : Summary.Of(await diagnoser.DiagnoseAsync(now, request, languages, cancellationToken));
        return TypedResults.Ok(new ReproductionView(thenAnswer, nowAnswer,
            thenAnswer is null || nowAnswer is null ? [] : thenAnswer.Differences(nowAnswer)));
    }

    private static async Task<StoredDecision?> FindAsync(string decisionId, IDecisionStore store, CancellationToken cancellationToken) =>
        DecisionId.IsWellFormed(decisionId) ? await store.GetAsync(decisionId, cancellationToken) : null;

}

/// <param name="Decided">This row decided the recorded answer.</param>
/// <param name="Asks">A needs-info row's fields (MustState, AskFor): it matches when any is unknown.</param>
internal sealed record TableRowView(string Rule, int Line, IReadOnlyList<TableCell>? Cells, string? Expression, string? Cause, string? Route, string? Reply, bool Decided,
    IReadOnlyList<string>? Asks = null);

internal sealed record DecisionTableView(string RulesVersion, string Workflow, string File, string DecidedBy, IReadOnlyList<TableRowView> Rows);

/// <summary>The parts of an answer a reproduction compares.</summary>
internal sealed record Summary(string RulesVersion, string Status, string Cause, string Route, string MatchedRule, string ReplyText,
    IReadOnlyList<string> MissingFields, Deadlines Deadlines, string Priority)
{
    public static Summary Of(DiagnoseResponse answer) => new(answer.RulesVersion, ContractJson.WireName(answer.Status), answer.Cause.Code,
        ContractJson.WireName(answer.Route), answer.Trace.MatchedRule, answer.Reply.Text, answer.MissingFields, answer.Deadlines,
        ContractJson.WireName(answer.Priority));

    public IReadOnlyList<string> Differences(Summary other) =>
    [
        .. new (string Part, bool Same)[]
        {
            ("status", Status == other.Status), ("cause", Cause == other.Cause), ("route", Route == other.Route),
            ("matchedRule", MatchedRule == other.MatchedRule), ("replyText", ReplyText == other.ReplyText),
            ("missingFields", MissingFields.SequenceEqual(other.MissingFields)), ("deadlines", Deadlines == other.Deadlines),
            ("priority", Priority == other.Priority),
        }.Where(p => !p.Same).Select(p => p.Part),
    ];
}

/// <param name="Then">The answer of the rules that answered (null when the record does not hold them).</param>
/// <param name="Now">The answer of the rules in service now.</param>
internal sealed record ReproductionView(Summary? Then, Summary? Now, IReadOnlyList<string> Differences);
