using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Files;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.History;
using ComplaintDiagnostics.Core.Rules.Tables;
using System.Text.Json;
using ComplaintDiagnostics.Core.Scenarios;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class RulesEndpoints
{
    public static RouteGroupBuilder MapRules(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/rules").WithTags("Rules");

        group.MapGet("", GetRules)
            .WithName("GetRules")
            .WithSummary("The rule set in service")
            .WithDescription("Version, load time, and every workflow with its rules in hit order (the first matching rule wins).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/files", GetFiles)
            .WithName("GetRuleFiles")
            .WithSummary("The rule files in service, as written (comments included)")
            .WithDescription("By path in the rules folder; what the rule editor (/rules/edit) starts from. The same rules GET /api/v1/rules shows.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/status", GetStatus)
            .WithName("GetRulesStatus")
            .WithSummary("The last attempt to load the rules")
            .WithDescription("Accepted or refused; for a refusal, each problem with file, line and rule. A refused edit never replaces the rules in service. "
                + "Its findings quote the rule files, so once any API key is configured it needs an operations key, as history and validate do.")
            .RequireApiKey(app, KeyScope.Operations)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/schema", GetSchemaIndex)
            .WithName("GetRuleSchemas")
            .WithSummary("The JSON Schemas of the rule files")
            .WithDescription("Names of the schemas; each is at /api/v1/rules/schema/{name} and in rules/schema/ for editors.");

        group.MapGet("/schema/{name}", GetSchema)
            .WithName("GetRuleSchema")
            .WithSummary("One JSON Schema of the rule files, e.g. workflow.schema.json");

        group.MapGet("/history", GetHistory)
            .WithName("GetRulesHistory")
            .WithSummary("The history of the rules: Git commits, and the versions this replica loaded")
            .WithDescription("When the rules folder is in a Git working tree (source: git): the commits that touched it, newest first, with hash, "
                + "author, time, message, the rules version at that commit and the rules, replies, causes and actions it added, removed or modified; "
                + "the same on every replica and after a restart. Always: the versions this process accepted since it started (loaded).")
            .RequireApiKey(app, KeyScope.Operations)
            .RequireRateLimiting(RateLimiting.OperationsPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/validate", ValidateAsync)
            .WithName("ValidateRules")
            .WithSummary("Check a proposed rule set without loading it")
            .WithDescription("Body: { \"files\": { \"workflows/data.json\": \"...\", \"tests/extra.json\": \"...\" } }. The files are laid over "
                + "the rule set in service (a file given as null is removed); the answer has the same findings as lint plus the scenario results.")
            .Accepts<ValidateRequest>("application/json")
            .RequireApiKey(app, KeyScope.Reading)
            .RequireRateLimiting(RateLimiting.OperationsPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return group;
    }

    /// <summary>The schema names.</summary>
    private static Ok<string[]> GetSchemaIndex() => TypedResults.Ok(RuleSchemas.Names.ToArray());

    /// <summary>One schema.</summary>
    private static Results<ContentHttpResult, ProblemHttpResult> GetSchema(string name) =>
        RuleSchemas.Text(name) is { } text
            ? TypedResults.Content(text, "application/schema+json")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No schema named '{name}'.",
                detail: "Known: " + string.Join(", ", RuleSchemas.Names));

    /// <summary>The commits and the accepted versions, newest first.</summary>
    private static Ok<RulesHistoryView> GetHistory(RulesHistory history) => TypedResults.Ok(history.Get());

    /// <summary>Validates a proposed edit.</summary>
    private static async Task<Results<Ok<ValidationReport>, ValidationProblem, ProblemHttpResult>> ValidateAsync(
        HttpRequest request, RuleSetHolder holder, ProposalValidator validator, IOptions<RulesOptions> rules,
        IOptions<SecurityOptions> security, ValidateGate gate, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var body = await ContractBody.ReadAsync(request, security.Value.ValidateMaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(security.Value.ValidateMaxBodyBytes);
        }
        // A validate call compiles and warms a whole rule set: a few at a time, whoever asks.
        using var lease = await gate.AcquireAsync(cancellationToken);
        if (!lease.IsAcquired)
        {
            request.HttpContext.Response.Headers.RetryAfter = ValidateGate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Busy(ValidateGate.RetryAfterSeconds);
        }
        ValidateRequest? proposal;
        try
        {
            proposal = JsonSerializer.Deserialize<ValidateRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return NotAProposal(ComplaintReader.Describe(ex, path => path == "files" ? $"an object: {FilesShape}"
                : path.StartsWith("files.", StringComparison.Ordinal) ? "the file's text as a JSON string, or null to remove the file"
                : null));
        }
        if (proposal?.Files is not { Count: > 0 } files)
        {
            return NotAProposal(new() { ["files"] = [$"required: {FilesShape}, e.g. {{ \"workflows/data.json\": \"...\" }}."] });
        }
        // A file no reload reads (a folder typo, a path out of the folder) would be "valid" and change nothing when saved.
        if (files.Keys.Select(name => (name, why: ProposalValidator.NotRead(name))).Where(f => f.why is not null).ToList() is { Count: > 0 } unread)
        {
            return NotAProposal(unread.ToDictionary(f => $"files.{f.name}", f => new[] { f.why! }));
        }
        var baseFiles = new Dictionary<string, string>(holder.Current?.Sources.Files ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        Dictionary<string, string> scenarios;
        try
        {
            scenarios = await ScenarioFiles.ReadFolderAsync(rules.Value.FullPath, rules.Value.ReadLimits, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The scenarios in service cannot be read (a FIFO in tests/, a hung mount): say so, never wait on it.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The scenarios in the rules folder cannot be read.",
                detail: ex is FolderReadException ? ex.Message : "The tests folder under the rules folder is unreadable.");
        }
        foreach (var (name, text) in scenarios)
        {
            baseFiles[name] = text;
        }
        return TypedResults.Ok(await validator.ValidateAsync(files, baseFiles, cancellationToken));
    }

    private const string FilesShape = "each proposed file's path in the rules folder to its text (null removes the file)";

    private static ValidationProblem NotAProposal(Dictionary<string, string[]> errors) =>
        Problems.Invalid(errors, "The request is not a valid proposed edit.");

    /// <summary>The loaded rule set.</summary>
    private static Results<Ok<RuleSetView>, ProblemHttpResult> GetRules(RuleSetHolder holder) =>
        holder.Current is { } rules ? TypedResults.Ok(RuleSetView.From(rules)) : Problems.NoRules(holder);

    private static Results<Ok<RuleFilesView>, ProblemHttpResult> GetFiles(RuleSetHolder holder) =>
        holder.Current is { } rules ? TypedResults.Ok(new RuleFilesView(rules.Version, rules.Release, rules.Sources.Files)) : Problems.NoRules(holder);

    /// <summary>The last load attempt.</summary>
    private static Ok<RulesStatusView> GetStatus(RuleSetHolder holder, ComplaintDiagnostics.Decisions.Recording.DecisionRecorder recorder) => TypedResults.Ok(new RulesStatusView(
        holder.Current?.Version,
        holder.Current?.LoadedAt,
        holder.LastAttempt,
        holder.LastRefused,
        holder.RefusedCount,
        holder.ServingLastGoodCopy,
        recorder.Status()));
}

/// <param name="Files">Proposed rule files by path relative to the rules folder; null removes a file.</param>
internal sealed record ValidateRequest(IReadOnlyDictionary<string, string?>? Files);

/// <param name="ServingVersion">The version answering requests now (null until a valid rule set has loaded).</param>
/// <param name="ServingSince">When that version was loaded.</param>
/// <param name="LastAttempt">The most recent load attempt, accepted or refused.</param>
/// <param name="LastRefused">The most recent refused attempt, kept after later successes.</param>
/// <param name="RefusedCount">Refused attempts since start.</param>
/// <param name="ServingLastGoodCopy">True when the folder was refused at start and the service answers from its
/// saved copy of the last accepted rules (<c>Rules:LastGoodPath</c>); <c>lastAttempt</c> says why.</param>
/// <param name="Decisions">The decision record: whether the store answers, what waits in the spool, and how many
/// decisions could not be kept (never silently: also a metric and a log line).</param>
internal sealed record RulesStatusView(
    string? ServingVersion, DateTimeOffset? ServingSince, LoadAttempt? LastAttempt, LoadAttempt? LastRefused, long RefusedCount,
    bool ServingLastGoodCopy, ComplaintDiagnostics.Decisions.Recording.RecorderStatus Decisions);

/// <param name="Release">The release these rules are, in release mode.</param>
internal sealed record RuleSetView(
    string Version,
    int? Release,
    DateTimeOffset LoadedAt,
    IReadOnlyList<string> Languages,
    IReadOnlyDictionary<string, string> Diagnosis,
    IReadOnlyList<string> Policies,
    IReadOnlyList<WorkflowView> Workflows,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Replies,
    IReadOnlyDictionary<string, CauseInfo> Causes,
    IReadOnlyList<RuleProblem> Warnings,
    IReadOnlyList<FieldView> Fields)
{
    public static RuleSetView From(RuleSet rules) => new(
        rules.Version,
        rules.Release,
        rules.LoadedAt,
        rules.Languages,
        rules.Diagnosis.ToDictionary(kv => ContractJson.WireName(kv.Key), kv => kv.Value.Name),
        [.. rules.Policies.Select(p => p.Name)],
        [.. rules.Workflows.Select(w => new WorkflowView(
            w.Name, w.File, w.Role switch { WorkflowRole.Diagnosis => "diagnosis", WorkflowRole.Escalation => "escalation", _ => "policy" }, "firstMatch",
            [.. w.Rules.Select(r => new RuleView(r.Name, r.Expression, r.LocalParams.ToDictionary(), r.File, r.Line, r.Outcome, r.Table))]))],
        rules.Replies,
        rules.Causes,
        rules.Warnings,
        ComplaintFields);

    /// <summary>The columns of the complaint (the contract's request fields a rule can test), for forms such as
    /// the try-it panel of /rules.</summary>
    private static readonly IReadOnlyList<FieldView> ComplaintFields =
    [
        .. TablePaths.For(WorkflowRole.Diagnosis).Select(c => new FieldView(
            c.Path, c.Kind.ToString().ToLowerInvariant(), [.. c.Values.Select(v => v.Wire)])),
    ];
}

/// <param name="Kind">boolean, choice, text or number.</param>
/// <param name="Values">A choice's values, as the contract spells them.</param>
internal sealed record FieldView(string Path, string Kind, IReadOnlyList<string> Values);

/// <param name="HitPolicy">Always firstMatch: the first rule, in file order, whose expression is true wins.</param>
internal sealed record WorkflowView(string Name, string File, string Role, string HitPolicy, IReadOnlyList<RuleView> Rules);

/// <param name="Expression">The condition RulesEngine evaluates (for a table row, what its cells compile to).</param>
/// <param name="LocalParams">Named values the expression uses, e.g. a needs-info rule's <c>missing</c> list.</param>
/// <param name="Table">The row as written in a table (When cells, MustState, AskFor); null for an Expression rule.</param>
internal sealed record RuleView(
    string Name, string Expression, IReadOnlyDictionary<string, string> LocalParams, string File, int Line, RuleOutcome Outcome, RuleTable? Table);

/// <param name="Release">The release in service, in release mode.</param>
/// <param name="Files">Each rule file's text by its path in the rules folder.</param>
internal sealed record RuleFilesView(string Version, int? Release, IReadOnlyDictionary<string, string> Files);
