using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules.Compiling;
using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Core.Rules.Expressions;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The outcome of compiling a rule set: the rule set (when no problem is an error) and every problem found.</summary>
public sealed record RuleSetBuild(RuleSet? RuleSet, IReadOnlyList<RuleProblem> Problems)
{
    public bool Accepted => RuleSet is not null;

    public IEnumerable<RuleProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);
}

/// <summary>
/// Turns rule files into a validated, warmed <see cref="RuleSet"/>, or into a list of problems that name file,
/// line and rule. Nothing here touches a rule set in service, and nothing here throws for any content of the
/// files: every failure of the parser or the engine is a problem of the rule set. The stages, in order, are
/// in <see cref="CompileStagesAsync"/>; each lives in its own file under <c>Rules/Compiling</c> and
/// <c>Rules/Expressions</c>.
/// </summary>
public static class RuleSetCompiler
{
    /// <summary>The name rule expressions use for the complaint.</summary>
    public const string TicketParameter = "ticket";

    /// <summary>The name policy expressions use for the diagnosis.</summary>
    public const string DiagnosisParameter = "diagnosis";

    /// <summary>The name escalation expressions use for the ticket's progress.</summary>
    public const string FollowUpParameter = "followUp";

    /// <summary>The local parameter of a needs-info rule that lists the missing request paths.</summary>
    public const string MissingParameter = "missing";

    /// <summary>The most rules a rule set may hold (all workflows together): a bound on what a load, a lint
    /// or a validate call may cost.</summary>
    public const int MaxRules = 2_000;

    /// <summary>How long compiling and warming may take before the rule set is refused. Accepted expressions
    /// are bounded by construction (<see cref="RuleLanguage"/>), so this is a second wall, not the first.</summary>
    public static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(15);

    public static Task<RuleSetBuild> CompileAsync(RuleSources sources, DateTimeOffset loadedAt, CancellationToken cancellationToken = default) =>
        CompileAsync(sources, loadedAt, WarmupLimit, cancellationToken);

    /// <param name="warmupLimit">How long warming may take before the rule set is refused (<see cref="WarmupLimit"/>).</param>
    public static async Task<RuleSetBuild> CompileAsync(
        RuleSources sources, DateTimeOffset loadedAt, TimeSpan warmupLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        try
        {
            return await CompileStagesAsync(new RuleFiles(sources), loadedAt, warmupLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever a library throws for whatever content is a refused rule set, never a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new RuleSetBuild(null, [new RuleProblem(RuleSources.ManifestFile, null, null, null,
                $"the rules could not be compiled ({ex.GetType().Name}: {EngineErrors.Simplify(ex.Message)}); the rule set is refused.")]);
        }
    }

    /// <summary>The stages. Reading goes on past problems, so that one pass reports every problem (lint's
    /// promise) instead of one layer at a time; nothing runs until every expression has parsed and passed.</summary>
    private static async Task<RuleSetBuild> CompileStagesAsync(RuleFiles files, DateTimeOffset loadedAt, TimeSpan warmupLimit, CancellationToken cancellationToken)
    {
        // 1. Shape: every file against its JSON Schema (the same schemas editors, lint and validate use), on
        // another core while the readers go through the same parsed files (stage 2), which both only read.
        var shape = Task.Run(() => SchemaStage.Check(files), cancellationToken);
        // 2. Read the manifest, the catalogues and the workflows with their positions, resolving references.
        var manifest = new ManifestReader(files).Read();
        var catalogues = new CatalogueReader(files).ReadAll(manifest?.Languages ?? []);
        var workflows = new WorkflowReader(files).Read(manifest, catalogues);
        var ticketMapping = new TicketMappingReader(files).Read(catalogues.Causes?.Keys);
        // The readers' own words win where both flag a line ("did you mean ..."); the schema adds the rest.
        SchemaStage.Merge(files.Problems, await shape.ConfigureAwait(false));
        if (manifest is null)
        {
            return Refused(files);
        }
        var ruleCount = workflows.Loaded.Values.Sum(w => w.Rules.Count);
        if (ruleCount > MaxRules)
        {
            files.Problems.Add(new RuleProblem(RuleSources.ManifestFile, null, null, null, $"the rule set has {ruleCount} rules; at most {MaxRules} are accepted."));
            return Refused(files);
        }
        var diagnosis = manifest.Diagnosis.Where(kv => workflows.Loaded.ContainsKey(kv.Value))
            .ToDictionary(kv => kv.Key, kv => workflows.Loaded[kv.Value]);
        var policies = manifest.Policies.Where(workflows.Loaded.ContainsKey).Select(p => workflows.Loaded[p]).ToList();
        var escalation = manifest.Escalation is { } e && workflows.Loaded.TryGetValue(e, out var loaded) ? loaded : null;
        files.Problems.AddRange(PlaceholderCheck.Warnings(diagnosis.Values.Distinct(), policies, catalogues.Replies));
        if (catalogues.Causes is { } causes)
        {
            ManifestReader.CheckAreaCauses(files, manifest.AreaHistory, causes.Keys);
        }

        // 3. Expressions: parse each as the engine will and check it against the allow-list, before any runs.
        var refused = ExpressionChecker.Check(workflows.Loaded.Values).ToList();
        files.Problems.AddRange(refused);
        if (refused.Count > 0)
        {
            return Refused(files);
        }

        // 4. Build one engine with each workflow as written (to validate) and as served (first hit in the engine:
        //    with the policies, folded, and rule by rule for the fallback and the follow-up).
        var plan = new Serving.ServingPlan([.. diagnosis.Values.Distinct()], policies, escalation);
        Serving.RuleServer server;
        try
        {
            server = Serving.RuleServer.Build(workflows.Engine, plan);
        }
#pragma warning disable CA1031 // The engine's own validation of the workflows: a problem of the files.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            files.Problems.Add(new RuleProblem(RuleSources.ManifestFile, null, null, null, EngineErrors.Simplify(ex.Message)));
            return Refused(files);
        }

        // 5. Warm: run everything on sample complaints, on the thread pool and under a time limit.
        var progress = new RuleSetWarmup.Progress { Current = (diagnosis.Values.FirstOrDefault() ?? policies.FirstOrDefault(), null) };
        var warming = Task.Run(async () =>
        {
            await RuleSetWarmup.WarmAsync(server, diagnosis, policies, escalation, files.Problems, progress, cancellationToken).ConfigureAwait(false);
            if (!files.HasErrors)
            {
                await server.WarmAsync(new ComplaintTicket(SampleTickets.For(ComplaintType.Data).First()), cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            await warming.WaitAsync(warmupLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var (workflow, rule) = progress.Current;
            files.Problems.Add(new RuleProblem(rule?.File ?? workflow?.File ?? RuleSources.ManifestFile, rule?.Line, null, rule?.Name ?? workflow?.Name,
                $"running the rules on sample complaints took longer than {warmupLimit.TotalSeconds:0.###} s; the rule set is refused."));
            return Refused(files);
        }
        if (files.HasErrors)
        {
            return Refused(files);
        }
        var problems = Sorted(files);
        return new RuleSetBuild(
            new RuleSet(files.Sources, loadedAt, server, diagnosis, policies, catalogues.Causes!, catalogues.Replies!.Customer, catalogues.Actions!, manifest.Languages, problems)
            {
                Escalation = escalation,
                AreaHistory = manifest.AreaHistory,
                Notify = catalogues.Notify ?? [],
                WorkOrderReplies = catalogues.Replies.WorkOrder,
                AsSoonAsPossible = catalogues.Replies.AsSoonAsPossible,
                TicketMapping = ticketMapping,
            },
            problems);
    }

    private static RuleSetBuild Refused(RuleFiles files) => new(null, Sorted(files));

    private static List<RuleProblem> Sorted(RuleFiles files) =>
        [.. files.Problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? 0)];
}
