using ComplaintDiagnostics.Core.Tickets;
using System.Diagnostics;
using System.Text.Json;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class DiagnoseEndpoints
{
    /// <summary>The single diagnose answer's decision id, also in its body (contract, "Decisions and outcomes").</summary>
    public const string DecisionIdHeader = "X-Decision-Id";

    public static RouteGroupBuilder MapDiagnose(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/diagnose")
            .WithTags("Diagnose")
            .RequireApiKey(app, KeyScope.Diagnose)
            .RequireDiagnoseLimit(app);

        group.MapPost("", DiagnoseAsync)
            .WithName("Diagnose")
            .WithSummary("Diagnose one complaint")
            .WithDescription("Runs the complaint through the rule workflow of its type: the first matching rule gives the cause, "
                + "the reply to read to the customer, the route and the deadlines; or, when the work order lacks a must-state "
                + "field, status needsInfo with the missing request paths. Reply language follows Accept-Language (zh-CN, en).")
            .Accepts<DiagnoseRequest>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/batch", DiagnoseBatchAsync)
            .WithName("DiagnoseBatch")
            .WithSummary("Diagnose many complaints in one call")
            .WithDescription("A JSON array of diagnose requests; the answer is an array in the same order. An invalid item "
                + "gets its own problem details in its place; the others are answered. All items are answered by one rule set.")
            .Accepts<DiagnoseRequest[]>("application/json")
            .Produces<object[]>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    /// <summary>Diagnoses one complaint.</summary>
    private static async Task<Results<Ok<DiagnoseResponse>, ValidationProblem, ProblemHttpResult>> DiagnoseAsync(
        HttpRequest request, RuleSetHolder holder, AuditedDiagnoser diagnoser,
        IOptions<DiagnoseOptions> limits, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var body = await ContractBody.ReadAsync(request, limits.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(limits.Value.MaxBodyBytes);
        }
        var (complaint, errors) = ComplaintReader.Read(body, json.Value.SerializerOptions, limits.Value.MaxTextLength);
        if (complaint is null)
        {
            return Problems.Invalid(errors);
        }
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        var budget = TimeSpan.FromMilliseconds(limits.Value.TimeBudgetMilliseconds);
        if (await diagnoser.DiagnoseAsync(
            rules, complaint, Languages(request), budget, request.HttpContext.TraceIdentifier, cancellationToken,
            recorded: !request.HttpContext.IsUnrecordedWarmup(), decision: !request.HttpContext.IsWarmup()) is not { } answer)
        {
            return Problems.TooSlow(limits.Value.TimeBudgetMilliseconds);
        }
        if (answer.DecisionId is { } decisionId)
        {
            request.HttpContext.Response.Headers[DecisionIdHeader] = decisionId;
        }
        return TypedResults.Ok(answer);
    }

    private const int BatchParseDepth = 64;

    /// <summary>Diagnoses a batch; invalid items answer with their own problem in place.</summary>
    private static async Task<Results<Ok<object[]>, ValidationProblem, ProblemHttpResult>> DiagnoseBatchAsync(
        HttpRequest request, RuleSetHolder holder, AuditedDiagnoser diagnoser,
        IOptions<DiagnoseOptions> limits, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        // Parsed deeper than an item may go, so that an item nested too deep gets its own problem in place, from its reader
        // (bounded by MaxDepth), and does not take the whole batch with it.
        var read = await ContractBody.ReadDocumentAsync(request, limits.Value.MaxBatchBodyBytes, Math.Max(BatchParseDepth, limits.Value.MaxDepth + 1),
            Problems.NotABatch, cancellationToken);
        if (read.TooLarge is { } tooLarge)
        {
            return tooLarge;
        }
        if (read.Invalid is { } invalid)
        {
            return invalid;
        }
        using (var document = read.Document!)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["$"] = ["expected a JSON array of diagnose requests."] }, Problems.NotABatch);
            }
            var count = root.GetArrayLength();
            if (count > limits.Value.MaxBatchItems)
            {
                return Problems.Invalid(new Dictionary<string, string[]>
                {
                    ["$"] = [$"the batch has {count} items; at most {limits.Value.MaxBatchItems} are accepted per call."],
                }, Problems.NotABatch);
            }
            if (holder.Current is not { } rules)
            {
                return Problems.NoRules(holder);
            }
            var languages = Languages(request).ToList();
            var deadline = Stopwatch.GetTimestamp() + (long)(limits.Value.BatchTimeBudgetMilliseconds / 1000.0 * Stopwatch.Frequency);
            var answers = new object[count];
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                var (complaint, errors) = ComplaintReader.Read(item, json.Value.SerializerOptions, limits.Value.MaxTextLength);
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (complaint is null)
                {
                    answers[index] = Problems.InvalidItem(index, errors);
                }
                else if (remaining > TimeSpan.Zero
                    && await diagnoser.DiagnoseAsync(rules, complaint, languages, remaining, request.HttpContext.TraceIdentifier, cancellationToken) is { } answer)
                {
                    answers[index] = answer;
                }
                else
                {
                    return Problems.TooSlow(limits.Value.BatchTimeBudgetMilliseconds);
                }
                index++;
            }
            return TypedResults.Ok(answers);
        }
    }

    /// <summary>The Accept-Language tags, best first; none (the rule set's default language) without the header, which
    /// is then not parsed at all.</summary>
    public static IEnumerable<string> Languages(HttpRequest request) =>
        request.Headers.AcceptLanguage.Count == 0 ? [] : request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.ToString());
}
