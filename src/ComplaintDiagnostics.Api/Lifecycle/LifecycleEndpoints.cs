using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Lifecycle;

/// <summary>Proposals, approval, releases and activation over HTTP (contract, "Rule lifecycle"). Every call is made by a
/// named person (a bearer token or a named key) whose role allows it, and attributed to that name.</summary>
internal static class LifecycleEndpoints
{
    private const int MaxBodyBytes = 8 << 20;

    public static IEndpointRouteBuilder MapLifecycle(this IEndpointRouteBuilder app)
    {
        var proposals = app.MapGroup("/api/v1/proposals").WithTags("Rule lifecycle").RequireRateLimiting(RateLimiting.OperationsPolicy);
        proposals.MapPost("", ProposeAsync).WithName("Propose").WithSummary("Propose a change to the rules; its check runs at once")
            .RequireAuthorization(Identities.Author);
        proposals.MapPut("/{id}", ReviseAsync).WithName("ReviseProposal").WithSummary("Replace files of a proposal (its author); the check runs again")
            .RequireAuthorization(Identities.Author);
        proposals.MapGet("", List).WithName("ListProposals").WithSummary("Proposals, newest first, by status").RequireAuthorization(Identities.Anyone);
        proposals.MapGet("/{id}", GetAsync).WithName("GetProposal").WithSummary("One proposal: commits, check, notes, its per-table diff, comments, the shadow report").RequireAuthorization(Identities.Anyone);
        proposals.MapPost("/{id}/approve", ApproveAsync).WithName("ApproveProposal")
            .WithSummary("Approve (a second person): the proposal becomes the next numbered release").RequireAuthorization(Identities.Approver);
        proposals.MapPost("/{id}/shadow", ShadowAsync).WithName("ShadowProposal")
            .WithSummary("Evaluate the proposal on a percentage of live traffic, after each answer is sent, until a time")
            .RequireAuthorization(Identities.AuthorOrApprover);
        proposals.MapGet("/{id}/files", Files).WithName("GetProposalFiles")
            .WithSummary("The files the proposal changes, as its base release has them and as the proposal does (null: absent)")
            .RequireAuthorization(Identities.Anyone);
        proposals.MapGet("/{id}/shadow", ShadowReportAsync).WithName("GetShadowReport")
            .WithSummary("What the proposal answered in shadow: evaluated, changed by part, examples, precision on confirmed tickets")
            .RequireAuthorization(Identities.Anyone);
        proposals.MapPost("/{id}/withdraw", WithdrawAsync).WithName("WithdrawProposal").WithSummary("Take an open proposal back (its author)")
            .RequireAuthorization(Identities.Author);
        proposals.MapPost("/{id}/reject", RejectAsync).WithName("RejectProposal").WithSummary("Reject, with a comment").RequireAuthorization(Identities.Approver);

        var releases = app.MapGroup("/api/v1/releases").WithTags("Rule lifecycle").RequireRateLimiting(RateLimiting.OperationsPolicy);
        releases.MapGet("", Releases).WithName("ListReleases").WithSummary("Every release, which is active").RequireAuthorization(Identities.Anyone);
        releases.MapPost("/{number:int}/activate", ActivateAsync).WithName("ActivateRelease")
            .WithSummary("Put a release in service on every replica (an earlier one: a rollback)").RequireAuthorization(Identities.ApproverOrOperator);
        return app;
    }

    private static async Task<Results<Created<Proposal>, ValidationProblem, ProblemHttpResult>> ProposeAsync(
        HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<ProposalBody>(request, json, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        if (Texts(("title", body!.Title, 200), ("description", body.Description, 4000)) is { } tooLong)
        {
            return tooLong;
        }
        if (body.Title?.Any(c => c is '\n' or '\r' or '\u2028' or '\u2029') == true)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["title"] = ["one line: it heads the proposal's commits and the lifecycle's record."] }, NotAProposal);
        }
        if (Required("title", body.Title, "what the change is, in a line.", NotAProposal) is { } noTitle)
        {
            return noTitle;
        }
        if (body.Files is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["files"] = ["required: each file's path in the rules folder to its text (null removes it)."] }, NotAProposal);
        }
        return await Run(async () =>
        {
            var proposal = await lifecycle.ProposeAsync(Identities.NameOf(user), body.Title!.Trim(), body.Description, body.Base, body.Files, cancellationToken);
            return TypedResults.Created($"/api/v1/proposals/{proposal.Id}", proposal);
        });
    }

    private static async Task<Results<Ok<Proposal>, ValidationProblem, ProblemHttpResult>> ReviseAsync(
        string id, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<ProposalBody>(request, json, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        if (body!.Files is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["files"] = ["required: each file's path in the rules folder to its text."] }, NotAProposal);
        }
        return await Run(async () => TypedResults.Ok(await lifecycle.ReviseAsync(Identities.NameOf(user), id, body.Files, cancellationToken)));
    }

    private static Results<Ok<ProposalList>, ValidationProblem, ProblemHttpResult> List(string? status, RuleLifecycle lifecycle)
    {
        if (status is not null && status is not (ProposalStatus.Open or ProposalStatus.Approved or ProposalStatus.Rejected or ProposalStatus.Withdrawn))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = ["one of open, approved, rejected, withdrawn."] }, "The query is not valid.");
        }
        return Guard(() => TypedResults.Ok(new ProposalList([.. lifecycle.LatestState().Proposals
            .Where(p => status is null || p.Status == status).OrderByDescending(p => p.CreatedAt)])));
    }

    /// <summary>One proposal as its reviewer reads it (contract: commits, the check, a per-table diff, comments, the shadow
    /// report): the proposal with <c>diff</c> (rows added, removed, moved and modified with their cells; reply texts),
    /// <c>comments</c> (its notes that have one) and <c>shadow</c> (its report, once it has been in shadow).</summary>
    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, RuleLifecycle lifecycle, ShadowEvaluator shadow, ComplaintDiagnostics.Decisions.Storage.IDecisionStore store, IOptions<JsonOptions> json,
        CancellationToken cancellationToken) => await Run(async () =>
    {
        var proposal = lifecycle.LatestState().ProposalWithId(id) ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no proposal {id}.");
        var files = lifecycle.ChangedFiles(proposal);
        var view = JsonSerializer.SerializeToNode(proposal, json.Value.SerializerOptions)!.AsObject();
        view["diff"] = JsonSerializer.SerializeToNode(ProposalDiff.Between(files.Base, files.Head), json.Value.SerializerOptions);
        view["comments"] = JsonSerializer.SerializeToNode(proposal.Notes.Where(n => n.Comment is not null), json.Value.SerializerOptions);
        view["shadow"] = proposal.Shadow is null ? null
            : JsonSerializer.SerializeToNode(await ShadowReport.ReadAsync(proposal, store, shadow.Dropped, cancellationToken), json.Value.SerializerOptions);
        return TypedResults.Ok(view);
    });

    private static async Task<Results<Ok<ApprovedView>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        string id, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<ApproveBody>(request, json, cancellationToken, emptyAllowed: true);
        return invalid ?? Texts(("comment", body?.Comment, 4000)) ?? Guard(() => TypedResults.Ok(new ApprovedView(
            lifecycle.Approve(Identities.NameOf(user), id, body?.Comment, body?.AcceptRegression ?? false, body?.Head))));
    }

    private static async Task<Results<Ok<Proposal>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        string id, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<RejectBody>(request, json, cancellationToken, emptyAllowed: true);
        return invalid ?? Texts(("comment", body?.Comment, 4000)) ?? Guard(() => TypedResults.Ok(lifecycle.Withdraw(Identities.NameOf(user), id, body?.Comment)));
    }

    private static async Task<Results<Ok<Proposal>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        string id, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<RejectBody>(request, json, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        return Texts(("comment", body!.Comment, 4000)) ?? Required("comment", body.Comment, "why, for the author.", "The rejection is not valid.")
            ?? Guard(() => TypedResults.Ok(lifecycle.Reject(Identities.NameOf(user), id, body.Comment!.Trim())));
    }

    private static async Task<Results<Ok<Proposal>, ValidationProblem, ProblemHttpResult>> ShadowAsync(
        string id, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, ShadowEvaluator shadow, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<ShadowBody>(request, json, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        if (body!.Percent is not { } percent || body.Until is not { } until)
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                [body.Percent is null ? "percent" : "until"] = [body.Percent is null ? "required: 1 to 100 (0 stops the shadow)." : "required: an ISO-8601 time with its offset."],
            }, "The shadow settings are not valid.");
        }
        return await Run(async () =>
        {
            var proposal = lifecycle.Shadow(Identities.NameOf(user), id, percent, until);
            await shadow.RefreshAsync(cancellationToken); // This replica at once; the others at their next poll.
            return TypedResults.Ok(proposal);
        });
    }

    private static async Task<Results<Ok<ShadowReport>, ValidationProblem, ProblemHttpResult>> ShadowReportAsync(
        string id, RuleLifecycle lifecycle, ShadowEvaluator shadow, ComplaintDiagnostics.Decisions.Storage.IDecisionStore store, CancellationToken cancellationToken) =>
        await Run(async () => TypedResults.Ok(await ShadowReport.ReadAsync(
            lifecycle.LatestState().ProposalWithId(id) ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no proposal {id}."),
            store, shadow.Dropped, cancellationToken)));

    private static Results<Ok<ProposalFiles>, ValidationProblem, ProblemHttpResult> Files(string id, RuleLifecycle lifecycle) => Guard(() =>
        TypedResults.Ok(lifecycle.ChangedFiles(lifecycle.LatestState().ProposalWithId(id)
            ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no proposal {id}."))));

    private static Results<Ok<ReleaseList>, ValidationProblem, ProblemHttpResult> Releases(RuleLifecycle lifecycle) => Guard(() =>
    {
        var state = lifecycle.LatestState();
        return TypedResults.Ok(new ReleaseList(state.Active, [.. state.Releases.OrderByDescending(r => r.Number)
            .Select(r => new ReleaseView(r.Number, r.Commit, r.CreatedAt, r.Authors, r.ApprovedBy, r.Title, r.Proposal, r.Evidence, r.AcceptedRegressions, r.Number == state.Active))],
            state.Activations));
    });

    private static async Task<Results<Ok<Activation>, ValidationProblem, ProblemHttpResult>> ActivateAsync(
        int number, HttpRequest request, ClaimsPrincipal user, RuleLifecycle lifecycle, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, invalid) = await ReadAsync<ActivateBody>(request, json, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        return Texts(("reason", body!.Reason, 1000)) ?? Required("reason", body.Reason, "why this release goes into service, for the record.", "The activation is not valid.")
            ?? Guard(() => TypedResults.Ok(lifecycle.Activate(Identities.NameOf(user), number, body.Reason!.Trim())));
    }

    private const string NotAProposal = "The request is not a valid proposal.";

    /// <summary>A text longer than its limit, or with control characters other than line breaks, named; null when all are fine.
    /// The texts go into Git commit messages and the lifecycle's record, read by people.</summary>
    private static ValidationProblem? Texts(params (string Field, string? Text, int Max)[] texts)
    {
        var errors = texts.Where(t => t.Text is { } text && (text.Length > t.Max || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
            .ToDictionary(t => t.Field, t => new[] { $"at most {t.Max} characters, without control characters." });
        return errors.Count == 0 ? null : Problems.Invalid(errors, "The request is not valid.");
    }

    /// <summary>A text the call needs, named with what it is for when it is missing or blank; null when given.</summary>
    private static ValidationProblem? Required(string field, string? text, string what, string title) => string.IsNullOrWhiteSpace(text)
        ? Problems.Invalid(new Dictionary<string, string[]> { [field] = [$"required: {what}"] }, title)
        : null;

    private static async Task<(T? Body, ValidationProblem? Invalid)> ReadAsync<T>(
        HttpRequest request, IOptions<JsonOptions> json, CancellationToken cancellationToken, bool emptyAllowed = false) where T : class
    {
        var bytes = await ContractBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (bytes is null)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = [$"a JSON body of at most {MaxBodyBytes >> 20} MB."] }, "The request is not valid."));
        }
        if (bytes.Length == 0 && emptyAllowed)
        {
            return (null, null);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, json.Value.SerializerOptions) is { } body
                ? (body, null)
                : (null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = ["expected a JSON object."] }, "The request is not valid."));
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid(ComplaintReader.Describe(ex, path => path.StartsWith("files.", StringComparison.Ordinal)
                ? "the file's text as a JSON string, or null to remove the file" : null), "The request is not valid."));
        }
    }

    /// <summary><see cref="Run{T}"/> for an action that does not wait (its task is complete when it returns).</summary>
    private static Results<T, ValidationProblem, ProblemHttpResult> Guard<T>(Func<T> action) where T : IResult =>
        Run(() => Task.FromResult(action())).GetAwaiter().GetResult();

    /// <summary>The action's result, or its refusal as problem details (nothing was written).</summary>
    private static async Task<Results<T, ValidationProblem, ProblemHttpResult>> Run<T>(Func<Task<T>> action) where T : IResult
    {
        try
        {
            return await action();
        }
        catch (LifecycleException ex)
        {
            return Refused<T>(ex);
        }
        catch (Core.Rules.History.GitRulesException ex)
        {
            return Unreachable(ex);
        }
    }

    private static Results<T, ValidationProblem, ProblemHttpResult> Refused<T>(LifecycleException ex) where T : IResult => ex.Refusal switch
    {
        LifecycleRefusal.Invalid => Problems.Invalid(new Dictionary<string, string[]>(ex.Errors ?? new Dictionary<string, string[]>()), ex.Message),
        LifecycleRefusal.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not yours to do.", detail: ex.Message),
        LifecycleRefusal.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: ex.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not now.", detail: ex.Message),
    };

    private static ProblemHttpResult Unreachable(Core.Rules.History.GitRulesException ex) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The rules repository is not answering.",
            detail: $"Nothing was changed; the release in service keeps serving. {Contracts.Privacy.Clean(ex.Message)}");
}
