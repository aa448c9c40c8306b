using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Http;

/// <summary>The service's RFC 9457 answers, written once.</summary>
internal static class Problems
{
    /// <summary>The title of a complaint's 400, alone or as a batch item.</summary>
    public const string NotAComplaint = "The request is not a valid complaint.";

    /// <summary>The title of a batch's own 400 (not an array, too many items, not JSON): no item was diagnosed.</summary>
    public const string NotABatch = "The request is not a valid batch of complaints.";

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title = NotAComplaint) =>
        TypedResults.ValidationProblem(errors, title: title, detail: "See errors: each key is a request path.");

    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"The limit is {limit} bytes.");

    public static ProblemHttpResult NoRules(RuleSetHolder holder) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No valid rule set is loaded.",
            detail: holder.LastAttempt is { Accepted: false } attempt
                ? $"The rules were refused with {attempt.Problems.Count} problem(s); see GET /api/v1/rules/status."
                : "The rules have not loaded yet; see GET /api/v1/rules/status.");

    public static ProblemHttpResult TooSlow(int budgetMilliseconds) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The rules took longer than the time budget.",
            detail: $"No answer within {budgetMilliseconds} ms; a rule may be too slow. Retry, or ask the NOC to check GET /api/v1/rules/status.");

    /// <summary>404 for a decision id the record does not hold.</summary>
    public static ProblemHttpResult NoSuchDecision() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such decision.",
            detail: "No decision on record has this id: it was never given, was purged after the retention period, or its ticket was erased.");

    /// <summary>429 for work the service does a few at a time; the caller sets Retry-After.</summary>
    public static ProblemHttpResult Busy(int retryAfterSeconds) =>
        TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many validations at once.",
            detail: $"Retry after {retryAfterSeconds} s.");

    /// <summary>A batch item's own problem, written in place of its response.</summary>
    public static HttpValidationProblemDetails InvalidItem(int index, IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = NotAComplaint,
        Detail = $"Batch item {index}; each key of errors is a request path.",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    };
}
