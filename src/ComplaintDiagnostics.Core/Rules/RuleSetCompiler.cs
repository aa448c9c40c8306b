using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules.Expressions;
using ComplaintDiagnostics.Core.Tickets;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using System.Linq.Expressions;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The outcome of compiling a rule set: the rule set (when no problem is an error) and every problem found.</summary>
public sealed record RuleSetBuild(RuleSet? RuleSet, IReadOnlyList<RuleProblem> Problems)
{
    public bool Accepted => RuleSet is not null;

    public IEnumerable<RuleProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);
}

/// <summary>
/// Turns rule files into a validated, warmed <see cref="RuleSet"/>, or into a list of problems that
/// name file, line and rule. Nothing here touches a rule set in service, and nothing here throws for any
/// content of the files: every failure of the parser or the engine is a problem of the rule set.
/// </summary>
public static class RuleSetCompiler
{
    /// <summary>The name rule expressions use for the complaint.</summary>
    public const string TicketParameter = "ticket";

    /// <summary>The name policy expressions use for the diagnosis.</summary>
    public const string DiagnosisParameter = "diagnosis";

    /// <summary>The local parameter of a needs-info rule that lists the missing request paths.</summary>
    public const string MissingParameter = "missing";

    /// <summary>The most rules a rule set may hold (all workflows together): a bound on what a load, a lint
    /// or a validate call may cost.</summary>
    public const int MaxRules = 2_000;

    /// <summary>How long compiling and warming may take before the rule set is refused. Accepted expressions
    /// are bounded by construction (<see cref="RuleLanguage"/>), so this is a second wall, not the first.</summary>
    public static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(15);

    private static readonly JsonLoadSettings LoadSettings = new()
    {
        CommentHandling = CommentHandling.Ignore,
        LineInfoHandling = LineInfoHandling.Load,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
    };

    /// <summary>Validation runs each workflow as written under this prefix; '$' starts no name in the files.</summary>
    private const string AsWrittenPrefix = "$as-written:";

    public static Task<RuleSetBuild> CompileAsync(RuleSources sources, DateTimeOffset loadedAt, CancellationToken cancellationToken = default) =>
        CompileAsync(sources, loadedAt, WarmupLimit, cancellationToken);

    /// <param name="warmupLimit">How long warming may take before the rule set is refused (<see cref="WarmupLimit"/>).</param>
    public static async Task<RuleSetBuild> CompileAsync(
        RuleSources sources, DateTimeOffset loadedAt, TimeSpan warmupLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        try
        {
            return await CompileCheckedAsync(sources, loadedAt, warmupLimit, cancellationToken).ConfigureAwait(false);
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

    private static async Task<RuleSetBuild> CompileCheckedAsync(
        RuleSources sources, DateTimeOffset loadedAt, TimeSpan warmupLimit, CancellationToken cancellationToken)
    {
        var c = new Compilation(sources);
        var manifest = c.ReadManifest();
        var causes = c.ReadCauses(manifest?.Languages ?? []);
        var replies = c.ReadReplies(manifest?.Languages ?? []);
        var workflows = c.ReadWorkflows(manifest, causes, replies);
        if (manifest is null)
        {
            return new RuleSetBuild(null, c.Problems);
        }
        var ruleCount = workflows.Loaded.Values.Sum(w => w.Rules.Count);
        if (ruleCount > MaxRules)
        {
            return new RuleSetBuild(null, [.. c.Problems, new RuleProblem(RuleSources.ManifestFile, null, null, null,
                $"the rule set has {ruleCount} rules; at most {MaxRules} are accepted.")]);
        }

        // Compile and warm whatever did load even when other parts have problems, so that one pass
        // reports every problem (lint's promise) instead of one layer at a time.
        var diagnosis = manifest.Diagnosis.Where(kv => workflows.Loaded.ContainsKey(kv.Value))
            .ToDictionary(kv => kv.Key, kv => workflows.Loaded[kv.Value]);
        var policies = manifest.Policies.Where(workflows.Loaded.ContainsKey).Select(p => workflows.Loaded[p]).ToList();
        // Parse every expression and refuse what reaches beyond the complaint before any of them is ever run.
        var refused = ExpressionChecker.Check(workflows.Loaded.Values).ToList();
        if (refused.Count > 0)
        {
            return new RuleSetBuild(null, [.. c.Problems.Concat(refused).OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? 0)]);
        }

        // One engine holds each workflow twice: as written (every rule a top-level rule, run on every sample so
        // that a rule that fails is reported by name) and as served (below). Both compile the same expressions
        // with the same parameters, and RulesEngine caches compiled expressions per engine, so serving costs
        // little more than validating.
        RulesEngine.RulesEngine engine;
        try
        {
            engine = new RulesEngine.RulesEngine(
                [
                    .. workflows.Engine.Select(w => new Workflow { WorkflowName = AsWrittenPrefix + w.WorkflowName, Rules = w.Rules }),
                    .. ServedWorkflows(workflows.Engine, diagnosis.Values.Distinct(), policies),
                ],
                EngineSettings.Create());
        }
#pragma warning disable CA1031 // The engine's own validation of the workflows: a problem of the files.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            c.Problems.Add(new RuleProblem(RuleSources.ManifestFile, null, null, null, EngineErrors.Simplify(ex.Message)));
            return new RuleSetBuild(null, c.Problems);
        }

        // The second wall: warming runs on the thread pool under a time limit, so that a rule set that still
        // managed to be slow is refused instead of holding the reload (and a start) for ever.
        var progress = new WarmupProgress { Current = (diagnosis.Values.FirstOrDefault() ?? policies.FirstOrDefault(), null) };
        var warming = Task.Run(async () =>
        {
            await WarmAsync(engine, diagnosis, policies, c.Problems, progress, cancellationToken).ConfigureAwait(false);
            if (!c.Problems.Any(p => p.Severity == ProblemSeverity.Error))
            {
                await CompileServedAsync(engine, diagnosis.Values.Distinct(), policies.Count > 0, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            await warming.WaitAsync(warmupLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var (workflow, rule) = progress.Current;
            return new RuleSetBuild(null, [.. c.Problems, new RuleProblem(rule?.File ?? workflow?.File ?? RuleSources.ManifestFile, rule?.Line, null,
                rule?.Name ?? workflow?.Name,
                $"running the rules on sample complaints took longer than {warmupLimit.TotalSeconds:0.###} s; the rule set is refused.")]);
        }
        var problems = c.Problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? 0).ToList();
        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
        {
            return new RuleSetBuild(null, problems);
        }
        return new RuleSetBuild(
            new RuleSet(sources, loadedAt, engine, workflows.Engine, diagnosis, policies, causes!, replies!, manifest.Languages, problems),
            problems);
    }

    /// <summary>Which workflow (and, when known, rule) the warm-up is running: what a refusal for time names.</summary>
    private sealed class WarmupProgress
    {
        private (LoadedWorkflow?, LoadedRule?) _current;

        public (LoadedWorkflow? Workflow, LoadedRule? Rule) Current
        {
            get { lock (this) { return _current; } }
            set { lock (this) { _current = value; } }
        }
    }

    /// <summary>
    /// What the engine in service runs: the same rules, shaped so that RulesEngine itself applies the hit
    /// policy. A workflow becomes one <c>OrElse</c> rule over its rules in file order; with
    /// <see cref="NestedRuleExecutionMode.Performance"/> the engine evaluates them in order and stops at the
    /// first that matches, so the result's children are exactly the rules evaluated (the trace) and a
    /// complaint costs the rules up to its answer instead of all of them. Each rule keeps its own local
    /// parameters, and one whose expression throws is a rule that did not match, as in the flat workflow.
    /// The policy workflows all take the same inputs, so they are served as one engine workflow with one
    /// such rule per policy, in manifest order: one engine call instead of one per policy.
    /// </summary>
    private static IEnumerable<Workflow> ServedWorkflows(
        List<Workflow> asWritten, IEnumerable<LoadedWorkflow> diagnosis, List<LoadedWorkflow> policies)
    {
        Rule FirstHit(string name) => new()
        {
            RuleName = name,
            Operator = nameof(ExpressionType.OrElse),
            Rules = asWritten.Single(w => w.WorkflowName == name).Rules,
            Enabled = true,
        };

        foreach (var workflow in diagnosis)
        {
            yield return new Workflow { WorkflowName = workflow.Name, Rules = [FirstHit(workflow.Name)] };
        }
        if (policies.Count > 0)
        {
            yield return new Workflow { WorkflowName = RuleSet.PoliciesWorkflow, Rules = [.. policies.Select(p => FirstHit(p.Name))] };
        }
    }

    /// <summary>RulesEngine compiles a workflow on its first run: run each served one now, not on a request.</summary>
    private static async Task CompileServedAsync(
        RulesEngine.RulesEngine engine, IEnumerable<LoadedWorkflow> diagnosis, bool hasPolicies, CancellationToken cancellationToken)
    {
        var ticket = new RuleParameter(TicketParameter, new ComplaintTicket(SampleTickets.For(ComplaintType.Data).First()));
        foreach (var workflow in diagnosis)
        {
            await engine.ExecuteAllRulesAsync(workflow.Name, [ticket], cancellationToken).ConfigureAwait(false);
        }
        if (hasPolicies)
        {
            var facts = new RuleParameter(DiagnosisParameter, new DiagnosisFacts(DiagnosisStatus.Diagnosed, "WARM_UP", Route.FrontDesk));
            await engine.ExecuteAllRulesAsync(RuleSet.PoliciesWorkflow, [ticket, facts], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs every workflow as written on sample complaints so that RulesEngine compiles all expressions now,
    /// and turns any expression that does not compile, or fails on a sample, into a located problem. A workflow
    /// whose run throws (rather than reporting per rule) is run rule by rule to name the rule at fault.
    /// </summary>
    private static async Task WarmAsync(
        RulesEngine.RulesEngine engine,
        IReadOnlyDictionary<ComplaintType, LoadedWorkflow> diagnosis,
        IReadOnlyList<LoadedWorkflow> policies,
        List<RuleProblem> problems,
        WarmupProgress progress,
        CancellationToken cancellationToken)
    {
        var reported = new HashSet<(string, string)>();
        var samples = diagnosis.Keys.SelectMany(SampleTickets.For).Select(r => new ComplaintTicket(r)).ToList();
        var facts = new DiagnosisFacts(DiagnosisStatus.Diagnosed, "WARM_UP", Route.FrontDesk);
        var runs = diagnosis.SelectMany(d => SampleTickets.For(d.Key).Select(r =>
                (Workflow: d.Value, Inputs: new[] { new RuleParameter(TicketParameter, new ComplaintTicket(r)) })))
            .Concat(policies.SelectMany(p => samples.Select(t =>
                (Workflow: p, Inputs: new[] { new RuleParameter(TicketParameter, t), new RuleParameter(DiagnosisParameter, facts) }))));
        foreach (var (workflow, inputs) in runs)
        {
            progress.Current = (workflow, null);
            try
            {
                var results = await engine.ExecuteAllRulesAsync(AsWrittenPrefix + workflow.Name, inputs, cancellationToken).ConfigureAwait(false);
                Report(workflow, results, problems, reported);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A throw from the engine is a problem of a rule: find which.
            catch (Exception)
#pragma warning restore CA1031
            {
                await BlameAsync(engine, workflow, inputs, problems, reported, progress, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs each rule of <paramref name="workflow"/> on its own and reports those that throw.</summary>
    private static async Task BlameAsync(
        RulesEngine.RulesEngine engine, LoadedWorkflow workflow, RuleParameter[] inputs,
        List<RuleProblem> problems, HashSet<(string, string)> reported, WarmupProgress progress, CancellationToken cancellationToken)
    {
        foreach (var rule in workflow.Rules)
        {
            progress.Current = (workflow, rule);
            try
            {
                await engine.ExecuteActionWorkflowAsync(AsWrittenPrefix + workflow.Name, rule.Name, inputs).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Reported at the rule.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (reported.Add((workflow.Name, rule.Name)))
                {
                    problems.Add(new RuleProblem(rule.File, rule.Line, rule.Column, rule.Name,
                        $"the expression fails on a sample complaint: {EngineErrors.Simplify(ex.Message)}"));
                }
            }
        }
    }

    private static void Report(LoadedWorkflow workflow, List<RuleResultTree> results, List<RuleProblem> problems, HashSet<(string, string)> reported)
    {
        foreach (var result in results)
        {
            if (string.IsNullOrEmpty(result.ExceptionMessage) || !reported.Add((workflow.Name, result.Rule.RuleName)))
            {
                continue;
            }
            var rule = workflow.Rules.First(r => r.Name == result.Rule.RuleName);
            problems.Add(new RuleProblem(rule.File, rule.Line, rule.Column, rule.Name, EngineErrors.Describe(result.ExceptionMessage)));
        }
    }

    private sealed record Manifest(
        IReadOnlyDictionary<ComplaintType, string> Diagnosis,
        IReadOnlyList<string> Policies,
        IReadOnlyList<string> Languages);

    private sealed record WorkflowSet(Dictionary<string, LoadedWorkflow> Loaded, List<Workflow> Engine);

    /// <summary>One compilation's state: the sources and the problems found so far.</summary>
    private sealed class Compilation(RuleSources sources)
    {
        private static readonly string[] WorkflowKeys = ["$schema", "WorkflowName", "Rules"];
        private static readonly string[] RuleKeys = ["RuleName", "Expression", "LocalParams", "Properties", "Enabled", "ErrorMessage", "SuccessEvent"];
        private static readonly string[] ParamKeys = ["Name", "Expression"];
        private static readonly string[] DiagnosisPropertyKeys = ["status", "cause", "route", "reply", "priority", "deadlines", "actions"];
        private static readonly string[] PolicyPropertyKeys = ["priority", "deadlines", "actions"];
        private static readonly string[] DeadlineKeys = ["contactByMinutes", "onSiteByMinutes", "resolveByMinutes"];
        private static readonly string[] ActionKeys = ["code", "due", "dueInMinutes"];

        public List<RuleProblem> Problems { get; } = [];

        public Manifest? ReadManifest()
        {
            const string file = RuleSources.ManifestFile;
            if (Parse(file) is not JObject root)
            {
                return null;
            }
            Keys(file, root, null, ["$schema", "diagnosis", "policies", "languages", "defaultLanguage"]);

            var diagnosis = new Dictionary<ComplaintType, string>();
            if (Require<JObject>(file, root, "diagnosis", null) is { } map)
            {
                foreach (var property in map.Properties())
                {
                    if (!ContractJson.TryParseWire(property.Name, out ComplaintType type))
                    {
                        Add(file, property, null, $"'{property.Name}' is not a complaint type; use one of: {string.Join(", ", ContractJson.WireNames<ComplaintType>())}.");
                    }
                    else if (property.Value is JValue { Type: JTokenType.String } name && !string.IsNullOrWhiteSpace((string?)name))
                    {
                        diagnosis[type] = (string)name!;
                    }
                    else
                    {
                        Add(file, property, null, $"the workflow for '{property.Name}' must be a workflow name.");
                    }
                }
                foreach (var type in Enum.GetValues<ComplaintType>().Where(t => !diagnosis.ContainsKey(t) && !HasProblem(file)))
                {
                    Add(file, map, null, $"no workflow diagnoses '{ContractJson.WireName(type)}' complaints; add it to \"diagnosis\".");
                }
            }
            var policies = Strings(file, root, "policies", required: false) ?? [];
            var languages = Strings(file, root, "languages", required: true) ?? [];
            if (languages.Count == 0 && !HasProblem(file))
            {
                Add(file, root, null, "\"languages\" must name at least one language, e.g. [\"zh-CN\", \"en\"].");
            }
            var defaultLanguage = (string?)Require<JValue>(file, root, "defaultLanguage", null);
            if (defaultLanguage is not null && languages.Count > 0 && !languages.Contains(defaultLanguage))
            {
                Add(file, root["defaultLanguage"], null, $"the default language '{defaultLanguage}' is not in \"languages\".");
            }
            var ordered = defaultLanguage is null ? languages : [defaultLanguage, .. languages.Where(l => l != defaultLanguage)];
            return HasProblem(file) ? null : new Manifest(diagnosis, policies, ordered);
        }

        /// <summary>The cause catalogue, or null when the file cannot be read (then rules naming causes are not
        /// also reported: the one problem to fix is the file).</summary>
        public Dictionary<string, CauseInfo>? ReadCauses(IReadOnlyList<string> languages)
        {
            const string file = RuleSources.CausesFile;
            var causes = new Dictionary<string, CauseInfo>(StringComparer.Ordinal);
            if (Parse(file) is not JObject root)
            {
                return null;
            }
            Keys(file, root, null, ["$schema", "groups", "causes"]);
            var groups = Require<JObject>(file, root, "groups", null);
            foreach (var group in groups?.Properties() ?? [])
            {
                Texts(file, group.Value, group.Name, languages);
            }
            foreach (var property in Require<JObject>(file, root, "causes", null)?.Properties() ?? [])
            {
                if (property.Value is not JObject cause)
                {
                    Add(file, property, property.Name, "a cause must be an object with \"group\" and \"label\".");
                    continue;
                }
                Keys(file, cause, property.Name, ["group", "label"]);
                var group = cause["group"];
                string? groupName = null;
                if (group is JValue { Type: JTokenType.String } g)
                {
                    groupName = (string)g!;
                    if (groups?[groupName] is null)
                    {
                        Add(file, group, property.Name, $"the group '{groupName}' is not one of \"groups\": {string.Join(", ", groups?.Properties().Select(p => p.Name) ?? [])}.");
                    }
                }
                else if (group is not null && group.Type != JTokenType.Null)
                {
                    Add(file, group, property.Name, "\"group\" must be a group name or null.");
                }
                causes[property.Name] = new CauseInfo(property.Name, groupName, Texts(file, cause["label"] ?? cause, property.Name, languages));
            }
            return causes;
        }

        /// <summary>The reply templates, or null when the file cannot be read.</summary>
        public Dictionary<string, IReadOnlyDictionary<string, string>>? ReadReplies(IReadOnlyList<string> languages)
        {
            const string file = RuleSources.RepliesFile;
            var replies = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            if (Parse(file) is not JObject root)
            {
                return null;
            }
            Keys(file, root, null, ["$schema", "templates"]);
            foreach (var template in Require<JObject>(file, root, "templates", null)?.Properties() ?? [])
            {
                replies[template.Name] = Texts(file, template.Value, template.Name, languages);
            }
            return replies;
        }

        public WorkflowSet ReadWorkflows(Manifest? manifest, Dictionary<string, CauseInfo>? causes, Dictionary<string, IReadOnlyDictionary<string, string>>? replies)
        {
            var set = new WorkflowSet(new Dictionary<string, LoadedWorkflow>(StringComparer.Ordinal), []);
            var roles = new Dictionary<string, WorkflowRole>(StringComparer.Ordinal);
            foreach (var name in manifest?.Diagnosis.Values ?? [])
            {
                roles[name] = WorkflowRole.Diagnosis;
            }
            foreach (var name in roles.Keys.Concat(manifest?.Policies ?? []).Where(n => n.StartsWith('$')))
            {
                Add(RuleSources.ManifestFile, null, name, $"the workflow name '{name}' starts with '$', which is reserved for the service's own names.");
            }
            foreach (var name in manifest?.Policies ?? [])
            {
                if (roles.ContainsKey(name))
                {
                    Add(RuleSources.ManifestFile, null, name, $"the workflow '{name}' is named both as a diagnosis and as a policy.");
                }
                roles[name] = WorkflowRole.Policy;
            }

            var unreadable = false;
            foreach (var file in sources.WorkflowFiles)
            {
                var root = Parse(file);
                unreadable |= root is null;
                var items = root switch
                {
                    JObject one => [one],
                    JArray many => many.OfType<JObject>().ToList(),
                    _ => [],
                };
                if (root is not null && items.Count == 0)
                {
                    Add(file, root, null, "a workflow file holds one workflow object (or an array of them).");
                }
                foreach (var item in items)
                {
                    ReadWorkflow(file, item, roles, causes, replies, set);
                }
            }

            // A workflow in a file that does not parse is not "missing": the syntax error is the one thing to fix.
            foreach (var (name, _) in roles.Where(r => !unreadable && !set.Loaded.ContainsKey(r.Key)))
            {
                Add(RuleSources.ManifestFile, null, name, $"the manifest names the workflow '{name}', but no file under workflows/ defines it.");
            }
            return set;
        }

        private void ReadWorkflow(
            string file, JObject item, Dictionary<string, WorkflowRole> roles,
            Dictionary<string, CauseInfo>? causes, Dictionary<string, IReadOnlyDictionary<string, string>>? replies, WorkflowSet set)
        {
            Keys(file, item, null, WorkflowKeys);
            if ((string?)Require<JValue>(file, item, "WorkflowName", null) is not { Length: > 0 } name)
            {
                return;
            }
            if (set.Loaded.TryGetValue(name, out var existing))
            {
                Add(file, item["WorkflowName"], name, $"the workflow '{name}' is already defined in {existing.File}.");
                return;
            }
            if (!roles.TryGetValue(name, out var role))
            {
                Add(file, item["WorkflowName"], name, $"the workflow '{name}' is not used: name it under \"diagnosis\" or \"policies\" in {RuleSources.ManifestFile}.");
                role = WorkflowRole.Policy;
            }

            var loaded = new List<LoadedRule>();
            var engineRules = new List<Rule>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var token in Require<JArray>(file, item, "Rules", name) ?? [])
            {
                if (token is not JObject ruleJson)
                {
                    Add(file, token, name, "each entry of \"Rules\" must be a rule object.");
                    continue;
                }
                var rule = ReadRule(file, name, role, ruleJson, causes, replies);
                if (rule is null)
                {
                    continue;
                }
                if (!names.Add(rule.Value.Loaded.Name))
                {
                    Add(file, ruleJson["RuleName"], rule.Value.Loaded.Name, $"another rule of workflow '{name}' already has this name; rule names must be unique.");
                    continue;
                }
                if (rule.Value.Enabled)
                {
                    loaded.Add(rule.Value.Loaded);
                    engineRules.Add(rule.Value.Engine);
                }
            }

            if (loaded.Count == 0)
            {
                Add(file, item, name, "the workflow has no enabled rule.");
                return;
            }
            WarnUnreachable(loaded, engineRules);
            if (role == WorkflowRole.Diagnosis && loaded[^1].Expression.Trim() != "true")
            {
                Add(file, item, name,
                    $"the last rule ('{loaded[^1].Name}') must be a fallback with \"Expression\": \"true\", so that every complaint gets an answer.");
            }
            set.Loaded[name] = new LoadedWorkflow(name, file, role, loaded);
            set.Engine.Add(new Workflow
            {
                WorkflowName = name,
                Rules = engineRules,
            });
        }

        private (LoadedRule Loaded, Rule Engine, bool Enabled)? ReadRule(
            string file, string workflow, WorkflowRole role, JObject json,
            Dictionary<string, CauseInfo>? causes, Dictionary<string, IReadOnlyDictionary<string, string>>? replies)
        {
            var name = (json["RuleName"] as JValue)?.Type == JTokenType.String ? (string?)json["RuleName"] : null;
            if (string.IsNullOrWhiteSpace(name))
            {
                Add(file, json, workflow, "a rule needs a \"RuleName\".");
                return null;
            }
            Keys(file, json, name, RuleKeys);
            var expressionToken = Require<JValue>(file, json, "Expression", name);
            var expression = expressionToken?.Type == JTokenType.String ? (string?)expressionToken : null;
            if (expressionToken is not null && string.IsNullOrWhiteSpace(expression))
            {
                Add(file, expressionToken, name, "\"Expression\" must be a condition, e.g. \"ticket.InArrears == true\".");
            }
            var enabled = json["Enabled"] is not JValue { Type: JTokenType.Boolean } flag || (bool)flag;
            var localParams = ReadParams(file, name, json["LocalParams"]);
            var outcome = ReadOutcome(file, name, role, json["Properties"], causes, replies);
            if (outcome is not null && outcome.Status == DiagnosisStatus.NeedsInfo
                && !localParams.Any(p => p.Name == MissingParameter))
            {
                Add(file, json, name,
                    $"a needs-info rule must list what is missing in a local parameter named \"{MissingParameter}\", e.g. ticket.Unknown(\"billing\", \"scope\").");
            }
            if (expression is null)
            {
                return null;
            }
            // A rule whose properties have problems is still compiled (to report its expression too);
            // the rule set is refused anyway, so this placeholder never answers a request.
            outcome ??= new RuleOutcome(DiagnosisStatus.Diagnosed, null, null, null, null, DeadlineMinutes.None, []);
            var line = LineOf(expressionToken) ?? LineOf(json) ?? 0;
            // Json.NET places a value's position after its closing quote; step back over the JSON text.
            var column = Math.Max(1, (ColumnOf(expressionToken) ?? 0) - JsonConvert.ToString(expression).Length + 2);
            return (new LoadedRule(name, expression, file, line, column, outcome)
                {
                    LocalParams = [.. localParams.Select(p => KeyValuePair.Create(p.Name, p.Expression))],
                },
                new Rule
                {
                    RuleName = name,
                    Expression = expression,
                    RuleExpressionType = RuleExpressionType.LambdaExpression,
                    LocalParams = localParams,
                    Enabled = true,
                },
                enabled);
        }

        /// <summary>First match wins, so a rule after one that always matches, or after one with the very
        /// same condition, can never win: almost always a reordering mistake.</summary>
        private void WarnUnreachable(List<LoadedRule> rules, List<Rule> engineRules)
        {
            static string Normalize(string expression) => string.Concat(expression.Where(c => !char.IsWhiteSpace(c)));

            // One pass: remember the first rule of each condition and the first unconditional one.
            var firstWithCondition = new Dictionary<string, int>(StringComparer.Ordinal);
            int? alwaysMatches = null;
            for (var i = 0; i < rules.Count; i++)
            {
                var locals = engineRules[i].LocalParams?.ToList() ?? [];
                var key = string.Join("|", locals.Select(p => p.Name + "=" + Normalize(p.Expression))) + "|" + Normalize(rules[i].Expression);
                var earlier = alwaysMatches ?? (firstWithCondition.TryGetValue(key, out var same) ? same : (int?)null);
                if (earlier is { } shadow)
                {
                    var reason = shadow == alwaysMatches ? "always matches" : "has the same condition";
                    Problems.Add(new RuleProblem(rules[i].File, rules[i].Line, null, rules[i].Name,
                        $"this rule can never win: the earlier rule '{rules[shadow].Name}' {reason}.", ProblemSeverity.Warning));
                }
                firstWithCondition.TryAdd(key, i);
                if (alwaysMatches is null && locals.Count == 0 && Normalize(rules[i].Expression) == "true")
                {
                    alwaysMatches = i;
                }
            }
        }

        private List<ScopedParam> ReadParams(string file, string owner, JToken? token)
        {
            var result = new List<ScopedParam>();
            if (token is null)
            {
                return result;
            }
            if (token is not JArray array)
            {
                Add(file, token, owner, "parameters must be a list of { \"Name\": ..., \"Expression\": ... }.");
                return result;
            }
            foreach (var item in array)
            {
                if (item is not JObject p || p["Name"]?.Type != JTokenType.String || p["Expression"]?.Type != JTokenType.String)
                {
                    Add(file, item, owner, "each parameter needs a \"Name\" and an \"Expression\".");
                    continue;
                }
                Keys(file, p, owner, ParamKeys);
                result.Add(new ScopedParam { Name = (string)p["Name"]!, Expression = (string)p["Expression"]! });
            }
            return result;
        }

        private RuleOutcome? ReadOutcome(
            string file, string rule, WorkflowRole role, JToken? token,
            Dictionary<string, CauseInfo>? causes, Dictionary<string, IReadOnlyDictionary<string, string>>? replies)
        {
            var properties = token as JObject;
            if (properties is null && (role == WorkflowRole.Diagnosis || token is not null))
            {
                Add(file, token, rule, role == WorkflowRole.Diagnosis
                    ? "a diagnosis rule needs \"Properties\" with at least \"cause\", \"route\" and \"reply\"."
                    : "\"Properties\" must be an object.");
                return null;
            }
            properties ??= [];
            var before = Problems.Count;
            Keys(file, properties, rule, role == WorkflowRole.Diagnosis ? DiagnosisPropertyKeys : PolicyPropertyKeys);

            var status = DiagnosisStatus.Diagnosed;
            string? cause = null, reply = null;
            Route? route = null;
            if (role == WorkflowRole.Diagnosis)
            {
                status = properties["status"] is { } s ? EnumValue<DiagnosisStatus>(file, rule, s) ?? status : status;
                cause = (string?)Require<JValue>(file, properties, "cause", rule);
                if (cause is not null && causes is not null && !causes.ContainsKey(cause))
                {
                    Add(file, properties["cause"], rule, $"the cause '{cause}' is not in {RuleSources.CausesFile}.");
                }
                route = properties["route"] is { } r ? EnumValue<Route>(file, rule, r) : Missing<Route>(file, properties, rule, "route");
                reply = (string?)Require<JValue>(file, properties, "reply", rule);
                if (reply is not null && replies is not null && !replies.ContainsKey(reply))
                {
                    Add(file, properties["reply"], rule, $"the reply template '{reply}' is not in {RuleSources.RepliesFile}.");
                }
            }
            var priority = properties["priority"] is { } p ? EnumValue<Priority>(file, rule, p) : null;
            var deadlines = ReadDeadlines(file, rule, properties["deadlines"]);
            var actions = ReadActions(file, rule, properties["actions"]);
            return Problems.Count > before ? null : new RuleOutcome(status, cause, route, reply, priority, deadlines, actions);
        }

        private DeadlineMinutes ReadDeadlines(string file, string rule, JToken? token)
        {
            if (token is null)
            {
                return DeadlineMinutes.None;
            }
            if (token is not JObject deadlines)
            {
                Add(file, token, rule, "\"deadlines\" must be an object such as { \"contactByMinutes\": 30 }.");
                return DeadlineMinutes.None;
            }
            Keys(file, deadlines, rule, DeadlineKeys);
            return new DeadlineMinutes(
                Minutes(file, rule, deadlines["contactByMinutes"]),
                Minutes(file, rule, deadlines["onSiteByMinutes"]),
                Minutes(file, rule, deadlines["resolveByMinutes"]));
        }

        private List<ActionSpec> ReadActions(string file, string rule, JToken? token)
        {
            var actions = new List<ActionSpec>();
            if (token is null)
            {
                return actions;
            }
            if (token is not JArray array)
            {
                Add(file, token, rule, "\"actions\" must be a list such as [ { \"code\": \"callCustomer\", \"due\": \"contactBy\" } ].");
                return actions;
            }
            foreach (var item in array)
            {
                if (item is not JObject action || action["code"]?.Type != JTokenType.String)
                {
                    Add(file, item, rule, "each action needs a \"code\".");
                    continue;
                }
                Keys(file, action, rule, ActionKeys);
                var code = (string)action["code"]!;
                if (!ActionCodes.All.Contains(code))
                {
                    Add(file, action["code"], rule, $"'{code}' is not an action code; use one of: {string.Join(", ", ActionCodes.All.Order())}.");
                }
                DeadlineKind? due = null;
                if (action["due"] is { } dueToken)
                {
                    var text = dueToken.Type == JTokenType.String ? (string?)dueToken : null;
                    if (Enum.TryParse<DeadlineKind>(text, ignoreCase: true, out var kind) && !int.TryParse(text, out _))
                    {
                        due = kind;
                    }
                    else
                    {
                        Add(file, dueToken, rule, "\"due\" must name a deadline: contactBy, onSiteBy or resolveBy.");
                    }
                }
                var minutes = Minutes(file, rule, action["dueInMinutes"]);
                if (due is not null && minutes is not null)
                {
                    Add(file, action, rule, "an action is due either by a deadline (\"due\") or after a number of minutes (\"dueInMinutes\"), not both.");
                }
                actions.Add(new ActionSpec(code, due, minutes));
            }
            return actions;
        }

        private int? Minutes(string file, string rule, JToken? token)
        {
            if (token is null)
            {
                return null;
            }
            if (token.Type == JTokenType.Integer && (long)token >= 0 && (long)token <= 60 * 24 * 366)
            {
                return (int)token;
            }
            Add(file, token, rule, $"'{token}' is not a number of minutes (a whole number from 0 to {60 * 24 * 366}).");
            return null;
        }

        private TEnum? EnumValue<TEnum>(string file, string rule, JToken token) where TEnum : struct, Enum
        {
            if (token.Type == JTokenType.String && ContractJson.TryParseWire((string?)token, out TEnum value))
            {
                return value;
            }
            Add(file, token, rule, $"'{token}' is not allowed here; use one of: {string.Join(", ", ContractJson.WireNames<TEnum>())}.");
            return null;
        }

        private TEnum? Missing<TEnum>(string file, JObject owner, string rule, string key) where TEnum : struct, Enum
        {
            Add(file, owner, rule, $"\"{key}\" is required ({string.Join(", ", ContractJson.WireNames<TEnum>())}).");
            return null;
        }

        private Dictionary<string, string> Texts(string file, JToken token, string owner, IReadOnlyList<string> languages)
        {
            var texts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (token is not JObject obj)
            {
                Add(file, token, owner, $"expected one text per language: {{ {string.Join(", ", languages.Select(l => $"\"{l}\": \"...\""))} }}.");
                return texts;
            }
            foreach (var property in obj.Properties())
            {
                if (property.Value.Type == JTokenType.String && !string.IsNullOrWhiteSpace((string?)property.Value))
                {
                    texts[property.Name] = (string)property.Value!;
                }
                else
                {
                    Add(file, property, owner, $"the '{property.Name}' text must be a non-empty string.");
                }
            }
            foreach (var language in languages.Where(l => !texts.ContainsKey(l) && obj[l] is null))
            {
                Add(file, obj, owner, $"the '{language}' text is missing.");
            }
            return texts;
        }

        private List<string>? Strings(string file, JObject owner, string key, bool required)
        {
            var token = owner[key];
            if (token is null)
            {
                if (required)
                {
                    Add(file, owner, null, $"\"{key}\" is required.");
                }
                return null;
            }
            if (token is JArray array && array.All(t => t.Type == JTokenType.String))
            {
                return [.. array.Select(t => (string)t!)];
            }
            Add(file, token, null, $"\"{key}\" must be a list of names.");
            return null;
        }

        private T? Require<T>(string file, JObject owner, string key, string? rule) where T : JToken
        {
            var token = owner[key];
            if (token is T typed && (typed is not JValue value || value.Type == JTokenType.String))
            {
                return typed;
            }
            Add(file, token ?? owner, rule, token is null ? $"\"{key}\" is required." : $"\"{key}\" has the wrong type.");
            return null;
        }

        /// <summary>Flags keys a reader would silently ignore: a misspelt key is an edit that does nothing.</summary>
        private void Keys(string file, JObject obj, string? rule, string[] known)
        {
            foreach (var property in obj.Properties().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
            {
                var close = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                Add(file, property, rule, close is null
                    ? $"unknown key \"{property.Name}\"; expected one of: {string.Join(", ", known.Where(k => k != "$schema"))}."
                    : $"unknown key \"{property.Name}\"; did you mean \"{close}\"?");
            }
        }

        private JToken? Parse(string file)
        {
            if (!sources.Files.TryGetValue(file, out var text))
            {
                Add(file, null, null, "the file is missing.");
                return null;
            }
            try
            {
                using var reader = new JsonTextReader(new StringReader(text));
                var token = JToken.ReadFrom(reader, LoadSettings);
                while (reader.Read())
                {
                    if (reader.TokenType != JsonToken.Comment)
                    {
                        throw new JsonReaderException("Additional text found after the end of the JSON content.", reader.Path, reader.LineNumber, reader.LinePosition, null);
                    }
                }
                return token;
            }
            catch (JsonReaderException ex)
            {
                var message = ex.Message;
                var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
                Problems.Add(new RuleProblem(file, ex.LineNumber, ex.LinePosition, null, $"JSON syntax: {(cut > 0 ? message[..cut] : message)}"));
                return null;
            }
        }

        private bool HasProblem(string file) => Problems.Any(p => p.File == file);

        private void Add(string file, JToken? at, string? rule, string message) =>
            Problems.Add(new RuleProblem(file, LineOf(at), ColumnOf(at), rule, message));

        private static int? LineOf(JToken? token) =>
            token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

        private static int? ColumnOf(JToken? token) =>
            token is IJsonLineInfo info && info.HasLineInfo() ? info.LinePosition : null;
    }
}
