using System.Text.Json;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class FollowUpEndpoints
{
    private const string NotAFollowUp = "The request is not a valid follow-up.";

    public static RouteHandlerBuilder MapFollowUp(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/follow-up", FollowUpAsync)
            .WithTags("Diagnose")
            .WithName("FollowUp")
            .WithSummary("What is overdue on a ticket in progress, and whom to tell")
            .WithDescription("The complaint as it was diagnosed (its receivedAt is required), the time to judge at (now) and the progress "
                + "so far (contactedAt, onSiteAt, resolvedAt, postponements). Answers the deadlines, those overdue, and the escalation "
                + "level and whom to notify from the rule set's Escalation workflow (first matching rule wins).")
            .Accepts<FollowUpRequest>("application/json")
            .RequireApiKey(app, KeyScope.Diagnose)
            .RequireDiagnoseLimit(app)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable); // no rules yet, or over the time budget

    private static async Task<Results<Ok<FollowUpResponse>, ValidationProblem, ProblemHttpResult>> FollowUpAsync(
        HttpRequest request, RuleSetHolder holder, AuditedDiagnoser diagnoser, TimeProvider time,
        IOptions<DiagnoseOptions> limits, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var body = await ContractBody.ReadAsync(request, limits.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(limits.Value.MaxBodyBytes);
        }
        var (followUpRequest, errors) = ComplaintReader.ReadFollowUp(body, json.Value.SerializerOptions, limits.Value.MaxTextLength, time.GetUtcNow());
        if (followUpRequest is null)
        {
            return Problems.Invalid(errors, NotAFollowUp);
        }
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        return await diagnoser.FollowUpAsync(rules, followUpRequest, DiagnoseEndpoints.Languages(request),
            TimeSpan.FromMilliseconds(limits.Value.TimeBudgetMilliseconds), request.HttpContext.TraceIdentifier, cancellationToken) is { } answer
            ? TypedResults.Ok(answer)
            : Problems.TooSlow(limits.Value.TimeBudgetMilliseconds);
    }
}
