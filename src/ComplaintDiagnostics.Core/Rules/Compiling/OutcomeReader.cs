using ComplaintDiagnostics.Contracts;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: reads a rule's <c>Properties</c> and resolves what they name: a cause in causes.json, a reply
/// template, a route, a priority, deadlines, action codes.</summary>
internal sealed class OutcomeReader(RuleFiles files)
{
    private static readonly string[] DiagnosisPropertyKeys = ["status", "cause", "route", "reply", "priority", "deadlines", "actions"];
    private static readonly string[] PolicyPropertyKeys = ["priority", "deadlines", "actions"];
    private static readonly string[] EscalationPropertyKeys = ["level", "notify"];
    private static readonly string[] DeadlineKeys = ["contactByMinutes", "onSiteByMinutes", "resolveByMinutes"];
    private static readonly string[] ActionKeys = ["code", "due", "dueInMinutes"];

    public RuleOutcome? Read(
        string file, string rule, WorkflowRole role, JToken? token,
        Catalogues catalogues)
    {
        var properties = token as JObject;
        if (properties is null && (role == WorkflowRole.Diagnosis || token is not null))
        {
            files.Add(file, token, rule, role == WorkflowRole.Diagnosis
                ? "a diagnosis rule needs \"Properties\" with at least \"cause\", \"route\" and \"reply\"."
                : "\"Properties\" must be an object.");
            return null;
        }
        properties ??= [];
        var before = files.Problems.Count;
        files.Keys(file, properties, rule, role switch
        {
            WorkflowRole.Diagnosis => DiagnosisPropertyKeys,
            WorkflowRole.Escalation => EscalationPropertyKeys,
            _ => PolicyPropertyKeys,
        });
        if (role == WorkflowRole.Escalation)
        {
            return Escalation(file, rule, properties, catalogues.Notify);
        }

        var status = DiagnosisStatus.Diagnosed;
        string? cause = null, reply = null;
        Route? route = null;
        if (role == WorkflowRole.Diagnosis)
        {
            status = properties["status"] is { } s ? files.EnumValue<DiagnosisStatus>(file, rule, s) ?? status : status;
            cause = (string?)files.Require<JValue>(file, properties, "cause", rule);
            if (cause is not null && catalogues.Causes is { } causes && !causes.ContainsKey(cause))
            {
                files.Add(file, properties["cause"], rule, $"the cause '{cause}' is not in {RuleSources.CausesFile}.{DidYouMean.Phrase(cause, causes.Keys)}");
            }
            route = properties["route"] is { } r ? files.EnumValue<Route>(file, rule, r) : files.Missing<Route>(file, properties, rule, "route");
            reply = (string?)files.Require<JValue>(file, properties, "reply", rule);
            if (reply is not null && catalogues.Replies?.Customer is { } replies && !replies.ContainsKey(reply))
            {
                files.Add(file, properties["reply"], rule, $"the reply template '{reply}' is not in {RuleSources.RepliesFile}.{DidYouMean.Phrase(reply, replies.Keys)}");
            }
        }
        var priority = properties["priority"] is { } p ? files.EnumValue<Priority>(file, rule, p) : null;
        var deadlines = ReadDeadlines(file, rule, properties["deadlines"]);
        var actions = ReadActions(file, rule, properties["actions"], catalogues.Actions);
        return files.Problems.Count > before ? null : new RuleOutcome(status, cause, route, reply, priority, deadlines, actions);
    }

    private DeadlineMinutes ReadDeadlines(string file, string rule, JToken? token)
    {
        if (token is null)
        {
            return DeadlineMinutes.None;
        }
        if (token is not JObject deadlines)
        {
            files.Add(file, token, rule, "\"deadlines\" must be an object such as { \"contactByMinutes\": 30 }.");
            return DeadlineMinutes.None;
        }
        files.Keys(file, deadlines, rule, DeadlineKeys);
        return new DeadlineMinutes(
            files.Minutes(file, rule, deadlines["contactByMinutes"]),
            files.Minutes(file, rule, deadlines["onSiteByMinutes"]),
            files.Minutes(file, rule, deadlines["resolveByMinutes"]));
    }

    private List<ActionSpec> ReadActions(string file, string rule, JToken? token, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? catalogue)
    {
        var actions = new List<ActionSpec>();
        foreach (var item in files.Items(file, token, rule, "\"actions\" must be a list such as [ { \"code\": \"callCustomer\", \"due\": \"contactBy\" } ]."))
        {
            if (item is not JObject action || action["code"]?.Type != JTokenType.String)
            {
                files.Add(file, item, rule, "each action needs a \"code\".");
                continue;
            }
            files.Keys(file, action, rule, ActionKeys);
            var code = (string)action["code"]!;
            CheckCode(file, action["code"]!, rule, code, RuleSources.ActionsFile, catalogue);
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
                    files.Add(file, dueToken, rule, "\"due\" must name a deadline: contactBy, onSiteBy or resolveBy.");
                }
            }
            var minutes = files.Minutes(file, rule, action["dueInMinutes"]);
            if (due is not null && minutes is not null)
            {
                files.Add(file, action, rule, "an action is due either by a deadline (\"due\") or after a number of minutes (\"dueInMinutes\"), not both.");
            }
            actions.Add(new ActionSpec(code, due, minutes));
        }
        return actions;
    }

    /// <summary>An escalation rule's level (0 to 9) and whom it notifies (codes from notify.json).</summary>
    private RuleOutcome? Escalation(string file, string rule, JObject properties, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? catalogue)
    {
        var before = files.Problems.Count;
        int? level = null;
        // The contract answers level 0-3: a rule may not answer a level front-desk systems do not know.
        if (properties["level"] is { Type: JTokenType.Integer } l && (long)l is >= 0 and <= Contracts.Escalation.HighestLevel)
        {
            level = (int)l;
        }
        else
        {
            files.Add(file, properties["level"] ?? properties, rule, $"\"level\" is required: a whole number from 0 (nothing to do) to {Contracts.Escalation.HighestLevel}, the contract's levels.");
        }
        var notify = new List<string>();
        if (properties["notify"] is { } token)
        {
            if (token is not JArray codes || codes.Any(c => c.Type != JTokenType.String))
            {
                files.Add(file, token, rule, "\"notify\" must be a list of codes from notify.json, e.g. [ \"shiftLeader\" ].");
            }
            else
            {
                foreach (var code in codes)
                {
                    var name = (string)code!;
                    CheckCode(file, code, rule, name, RuleSources.NotifyFile, catalogue);
                    notify.Add(name);
                }
            }
        }
        return files.Problems.Count > before ? null
            : new RuleOutcome(Contracts.DiagnosisStatus.Diagnosed, null, null, null, null, DeadlineMinutes.None, [], level, notify);
    }

    /// <summary>A code a rule names must be in its catalogue file (actions.json, notify.json).</summary>
    private void CheckCode(string file, JToken at, string rule, string code, string catalogueFile, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? catalogue)
    {
        if (catalogue is not null && !catalogue.ContainsKey(code))
        {
            files.Add(file, at, rule, $"'{code}' is not in {catalogueFile}.{DidYouMean.Phrase(code, catalogue.Keys)}"
                + (catalogue.Count == 0 ? $" {catalogueFile} names none: add it there first." : $" Known: {string.Join(", ", catalogue.Keys.Order(StringComparer.Ordinal))}."));
        }
    }
}
