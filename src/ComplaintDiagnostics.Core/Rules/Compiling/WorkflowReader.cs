using ComplaintDiagnostics.Contracts;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>The workflows read: as the service models them (by name) and as RulesEngine takes them, in file order.</summary>
internal sealed record WorkflowSet(Dictionary<string, LoadedWorkflow> Loaded, List<Workflow> Engine)
{
    /// <summary>Workflows defined in a file but without a usable rule (their problems are reported).</summary>
    public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);
}

/// <summary>Stage: reads every workflow file: names, roles from the manifest, rules with their positions, local
/// parameters and outcomes (references to the catalogues resolved by <see cref="OutcomeReader"/>).</summary>
internal sealed class WorkflowReader(RuleFiles files)
{
    private static readonly string[] WorkflowKeys = ["$schema", "WorkflowName", "Rules"];
    private static readonly string[] RuleKeys = ["RuleName", "When", "MustState", "AskFor", "Expression", "LocalParams", "Properties", "Enabled", "ErrorMessage", "SuccessEvent"];
    private static readonly string[] ParamKeys = ["Name", "Expression"];

    public WorkflowSet Read(Manifest? manifest, Catalogues catalogues)
    {
        var set = new WorkflowSet(new Dictionary<string, LoadedWorkflow>(StringComparer.Ordinal), []);
        var roles = new Dictionary<string, WorkflowRole>(StringComparer.Ordinal);
        foreach (var name in manifest?.Diagnosis.Values ?? [])
        {
            roles[name] = WorkflowRole.Diagnosis;
        }
        foreach (var name in roles.Keys.Concat(manifest?.Policies ?? []).Append(manifest?.Escalation ?? "").Where(n => n.StartsWith('$')))
        {
            files.Add(RuleSources.ManifestFile, null, name, $"the workflow name '{name}' starts with '$', which is reserved for the service's own names.");
        }
        foreach (var name in manifest?.Policies ?? [])
        {
            if (roles.ContainsKey(name))
            {
                files.Add(RuleSources.ManifestFile, null, name, $"the workflow '{name}' is named both as a diagnosis and as a policy.");
            }
            roles[name] = WorkflowRole.Policy;
        }
        if (manifest?.Escalation is { } escalation)
        {
            if (roles.ContainsKey(escalation))
            {
                files.Add(RuleSources.ManifestFile, null, escalation, $"the workflow '{escalation}' is named twice in the manifest.");
            }
            roles[escalation] = WorkflowRole.Escalation;
        }

        var unreadable = false;
        var unnamed = false;
        foreach (var file in files.Sources.WorkflowFiles)
        {
            var root = files.Parse(file);
            unreadable |= root is null;
            var items = root switch
            {
                JObject one => [one],
                JArray many => many.OfType<JObject>().ToList(),
                _ => [],
            };
            if (root is not null && items.Count == 0)
            {
                files.Add(file, root, null, "a workflow file holds one workflow object (or an array of them).");
            }
            foreach (var item in items)
            {
                files.Keys(file, item, null, WorkflowKeys);
                if ((string?)files.Require<JValue>(file, item, "WorkflowName", null) is { Length: > 0 } name)
                {
                    if (!RuleNames.Check(files, file, item["WorkflowName"], "workflow name", name))
                    {
                        unnamed = true; // As good as unnamed: the manifest's reference to it is not reported again.
                        continue;
                    }
                    ReadWorkflow(file, item, name, roles, manifest is not null, catalogues, set);
                }
                else
                {
                    unnamed = true; // Reported by Require.
                }
            }
        }

        // A workflow in a file that does not parse, or one whose name is missing, is not "missing" from the manifest's
        // point of view: the syntax error or the missing name is the one thing to fix.
        var defined = set.Loaded.Keys.Concat(set.Broken).ToList();
        foreach (var (name, _) in roles.Where(r => !unreadable && !unnamed && !set.Loaded.ContainsKey(r.Key) && !set.Broken.Contains(r.Key)))
        {
            var at = files.Parsed(RuleSources.ManifestFile).Token?.SelectTokens("$..*").OfType<JValue>().FirstOrDefault(v => v.Value as string == name);
            files.Add(RuleSources.ManifestFile, at, name,
                $"the manifest names the workflow '{name}', but no file under workflows/ defines it.{DidYouMean.Phrase(name, defined.Except(roles.Keys))}");
        }
        return set;
    }

    /// <summary>The role a workflow the manifest does not name looks written for, by its rules' properties.</summary>
    private static WorkflowRole RoleByProperties(JObject workflow)
    {
        var keys = (workflow["Rules"] as JArray)?.OfType<JObject>().Select(r => r["Properties"]).OfType<JObject>()
            .SelectMany(p => p.Properties().Select(k => k.Name)).ToHashSet(StringComparer.Ordinal) ?? [];
        return keys.Contains("cause") || keys.Contains("status") ? WorkflowRole.Diagnosis
            : keys.Contains("level") ? WorkflowRole.Escalation
            : WorkflowRole.Policy;
    }

    private void ReadWorkflow(
        string file, JObject item, string name, Dictionary<string, WorkflowRole> roles, bool manifestRead,
        Catalogues catalogues, WorkflowSet set)
    {
        if (set.Loaded.TryGetValue(name, out var existing))
        {
            files.Add(file, item["WorkflowName"], name, $"the workflow '{name}' is already defined in {existing.File}.");
            return;
        }
        if (!roles.TryGetValue(name, out var role))
        {
            // A manifest that was refused names nothing: its own problems are the ones to fix, not every workflow.
            if (manifestRead)
            {
                files.Add(file, item["WorkflowName"], name, $"the workflow '{name}' is not used: name it under \"diagnosis\", \"policies\" or \"escalation\" in {RuleSources.ManifestFile}.");
            }
            // Its rules are still checked, as what they look like (a typo'd name in the manifest should be one finding,
            // not one per rule key that a policy would not take).
            role = RoleByProperties(item);
        }

        var loaded = new List<LoadedRule>();
        var engineRules = new List<Rule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // A rule already reported as broken (or "Rules" itself missing) explains an empty workflow; the workflow is
        // defined all the same.
        var rules = files.Require<JArray>(file, item, "Rules", name);
        var broken = rules is null;
        foreach (var token in rules ?? [])
        {
            if (token is not JObject ruleJson)
            {
                files.Add(file, token, name, "each entry of \"Rules\" must be a rule object.");
                continue;
            }
            var rule = ReadRule(file, name, role, ruleJson, catalogues);
            if (rule is null)
            {
                broken = true;
                continue;
            }
            if (!names.Add(rule.Value.Loaded.Name))
            {
                files.Add(file, ruleJson["RuleName"], rule.Value.Loaded.Name, $"another rule of workflow '{name}' already has this name; rule names must be unique.");
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
            if (!broken)
            {
                files.Add(file, item, name, "the workflow has no enabled rule.");
            }
            set.Broken.Add(name);
            return;
        }
        UnreachableRules.Warn(files, loaded, engineRules);
        if (role == WorkflowRole.Diagnosis && loaded[^1].Expression.Trim() != "true")
        {
            files.Add(file, item, name,
                $"the last rule ('{loaded[^1].Name}') must be a fallback that always matches, \"When\": {{}} (or \"Expression\": \"true\"), so that every complaint gets an answer.");
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
        Catalogues catalogues)
    {
        var name = (json["RuleName"] as JValue)?.Type == JTokenType.String ? (string?)json["RuleName"] : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            files.Add(file, json, workflow, "a rule needs a \"RuleName\".");
            return null;
        }
        if (!RuleNames.Check(files, file, json["RuleName"], "rule name", name))
        {
            return null;
        }
        files.Keys(file, json, name, RuleKeys);
        var expressionToken = json["Expression"];
        var expression = expressionToken?.Type == JTokenType.String ? (string?)expressionToken : null;
        if (expressionToken is not null && string.IsNullOrWhiteSpace(expression))
        {
            files.Add(file, expressionToken, name, "\"Expression\" must be a condition, e.g. \"ticket.InArrears == true\".");
            return null;
        }
        if (expressionToken is null && json["When"] is null && json["MustState"] is null)
        {
            files.Add(file, json, name, "a rule needs a condition: a table row \"When\": { \"inArrears\": true } ({} always matches), "
                + "\"MustState\": [...] for a needs-info row, or an \"Expression\".");
            return null;
        }
        var enabled = json["Enabled"] is not JValue { Type: JTokenType.Boolean } flag || (bool)flag;
        var (localParams, paramLines) = ReadParams(file, name, json["LocalParams"]);
        var outcome = new OutcomeReader(files).Read(file, name, role, json["Properties"], catalogues);
        // Also when the outcome has other problems: the row's own checks still know it asks for something.
        var needsInfo = outcome?.Status == DiagnosisStatus.NeedsInfo || (string?)(json["Properties"] as JObject)?["status"] == "needsInfo";
        var condition = new WhenReader(files, file, name, role, catalogues.Causes?.Keys)
            .Read(json, expression, needsInfo);
        if (condition is null)
        {
            return null;
        }
        // The row's pieces, for serving to fold it with its neighbours, when nothing but the ticket is in its scope: no
        // local parameter of its own, and with a MustState/AskFor list a condition the table wrote (a hand-written
        // Expression may test `missing`). Whether it folds is serving's to decide (Serving/ServingPlan).
        var fold = localParams.Count == 0 && (condition.Missing is null || expression is null)
            ? new FoldedRow(condition.Tests, condition.Missing, condition.MissingDecides)
            : null;
        if (condition.Missing is { } missing)
        {
            if (localParams.Any(p => p.Name == RuleSetCompiler.MissingParameter))
            {
                files.Add(file, json["LocalParams"], name, $"the row lists what is missing in \"MustState\"/\"AskFor\"; drop the local parameter \"{RuleSetCompiler.MissingParameter}\".");
                return null;
            }
            localParams.Insert(0, new ScopedParam { Name = RuleSetCompiler.MissingParameter, Expression = missing });
            paramLines.Insert(0, RuleFiles.LineOf(json["MustState"] ?? json["AskFor"]) ?? 0);
        }
        if (outcome is not null && outcome.Status == DiagnosisStatus.NeedsInfo
            && !localParams.Any(p => p.Name == RuleSetCompiler.MissingParameter))
        {
            files.Add(file, json["RuleName"], name,
                "a needs-info rule lists what it asks for: \"MustState\": [\"billing\", \"scope\"] (the ones not stated are reported), "
                + "or \"AskFor\": [\"customer.tier\"] beside a condition.");
        }
        // A rule whose properties have problems is still compiled (to report its expression too);
        // the rule set is refused anyway, so this placeholder never answers a request.
        outcome ??= new RuleOutcome(DiagnosisStatus.Diagnosed, null, null, null, null, DeadlineMinutes.None, []);
        var at = expressionToken ?? json["When"] ?? json["MustState"] ?? json;
        var line = RuleFiles.LineOf(at) ?? RuleFiles.LineOf(json) ?? 0;
        // Json.NET places a value's position after its closing quote; step back over the JSON text. A table row's
        // expression is not in the file: its problems point at the row's first line.
        var column = expression is null ? 1 : Math.Max(1, (RuleFiles.ColumnOf(expressionToken) ?? 0) - JsonConvert.ToString(expression).Length + 2);
        return (new LoadedRule(name, condition.Expression, file, line, column, outcome)
            {
                LocalParams = [.. localParams.Select(p => KeyValuePair.Create(p.Name, p.Expression))],
                LocalParamLines = [.. paramLines.Select(l => l == 0 ? line : l)],
                Table = condition.Table,
                Fold = fold,
            },
            new Rule
            {
                RuleName = name,
                Expression = condition.Expression,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
                LocalParams = localParams,
                Enabled = true,
            },
            enabled);
    }

    /// <returns>The parameters, and the line of each (problems in a parameter point at it).</returns>
    private (List<ScopedParam> Params, List<int> Lines) ReadParams(string file, string owner, JToken? token)
    {
        var result = new List<ScopedParam>();
        var lines = new List<int>();
        foreach (var item in files.Items(file, token, owner, "parameters must be a list of { \"Name\": ..., \"Expression\": ... }."))
        {
            if (item is not JObject p || p["Name"]?.Type != JTokenType.String || p["Expression"]?.Type != JTokenType.String)
            {
                files.Add(file, item, owner, "each parameter needs a \"Name\" and an \"Expression\".");
                continue;
            }
            files.Keys(file, p, owner, ParamKeys);
            result.Add(new ScopedParam { Name = (string)p["Name"]!, Expression = (string)p["Expression"]! });
            lines.Add(RuleFiles.LineOf(p["Expression"]) ?? 0);
        }
        return (result, lines);
    }
}
