using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Api.Pages;

/// <summary>
/// A workflow table as an Excel workbook, for the NOC to edit in Excel or WPS and import back in the rule editor
/// (/rules/edit, "Import .xlsx"), which turns the sheet into a proposal: one row per rule in hit order, column A its
/// name, then one column per request path its rows test, the needs-info and expression columns, and the outcome; a
/// second sheet with the texts of the replies its rows name. A cell holds what the editor's cell holds: a choice or a
/// text as written, anything else as JSON (true, null, ["voice","web"], {">=": 3}); an empty cell is "any value".
/// </summary>
internal static class WorkflowSheet
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string RepliesSheet = "Replies";

    /// <summary>The outcome's columns, by their path under Properties.</summary>
    public static readonly string[] OutcomeColumns =
        ["status", "cause", "route", "reply", "priority", "deadlines.contactByMinutes", "deadlines.onSiteByMinutes", "deadlines.resolveByMinutes"];

    private static readonly JsonLoadSettings Comments = new() { CommentHandling = CommentHandling.Ignore };

    public static IEndpointRouteBuilder MapWorkflowSheet(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/rules/workflows/{name}/xlsx", Export)
            .WithTags("Rules").WithName("GetWorkflowSheet")
            .WithSummary("A workflow table as an Excel workbook (.xlsx), to edit and import back in the rule editor as a proposal")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Export(string name, RuleSetHolder holder)
    {
        if (holder.Current is not { } rules)
        {
            return Problems.NoRules(holder);
        }
        // The workflows the rule set serves know their files: nothing to parse per request.
        var file = rules.Diagnosis.Values.Concat(rules.Policies).Append(rules.Escalation).FirstOrDefault(w => w?.Name == name)?.File;
        if (file is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No workflow named '{name}'.");
        }
        var bytes = Write(name, rules.Sources.Files[file], rules.Sources.Files.GetValueOrDefault("replies.json"));
        return TypedResults.File(bytes, ContentType, $"{name}-{rules.Version}.xlsx");
    }

    private static readonly string[] ExtraColumns = ["MustState", "AskFor", "Expression"];

    public static byte[] Write(string workflow, string workflowText, string? repliesText)
    {
        var rules = (JArray?)Parse(workflowText)["Rules"] ?? [];
        var conditions = rules.OfType<JObject>().SelectMany(r => (r["When"] as JObject)?.Properties().Select(p => p.Name) ?? []).Distinct(StringComparer.Ordinal).ToList();
        string[] extras = [.. ExtraColumns.Where(k => rules.OfType<JObject>().Any(r => r[k] is not null))];
        var otherOutcomes = rules.OfType<JObject>().SelectMany(r => (r["Properties"] as JObject)?.Properties().Select(p => p.Name) ?? [])
            .Where(k => k != "deadlines" && !OutcomeColumns.Contains(k)).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<Dictionary<string, object?>>();
        foreach (var rule in rules.OfType<JObject>())
        {
            var row = new Dictionary<string, object?> { ["RuleName"] = (string?)rule["RuleName"] };
            foreach (var column in conditions)
            {
                row[column] = Cell(rule["When"]?[column]);
            }
            foreach (var column in extras)
            {
                row[column] = rule[column] is JArray list ? string.Join(", ", list.Values<string>()) : Cell(rule[column]);
            }
            foreach (var column in OutcomeColumns.Concat(otherOutcomes))
            {
                var value = column.Split('.').Aggregate((JToken?)rule["Properties"], (token, key) => token?[key]);
                row[column] = value?.Type is JTokenType.Integer ? (object)value.Value<long>() : Cell(value);
            }
            rows.Add(row);
        }
        var sheets = new Dictionary<string, object> { [SheetName(workflow)] = rows };
        var templates = repliesText is null ? null : Parse(repliesText)["templates"] as JObject;
        var replies = new List<Dictionary<string, object?>>();
        foreach (var id in rules.OfType<JObject>().Select(r => (string?)r["Properties"]?["reply"]).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            foreach (var part in (templates?[id] as JObject)?.Properties() ?? [])
            {
                foreach (var language in (part.Value as JObject)?.Properties() ?? [])
                {
                    replies.Add(new() { ["template"] = id, ["part"] = part.Name, ["language"] = language.Name, ["text"] = (string?)language.Value });
                }
            }
        }
        sheets[RepliesSheet] = replies.Count > 0 ? replies : [new() { ["template"] = null, ["part"] = null, ["language"] = null, ["text"] = null }];
        using var stream = new MemoryStream();
        stream.SaveAs(sheets);
        return stream.ToArray();
    }

    /// <summary>Excel's limits on a sheet's name: 31 characters, none of []:*?/\.</summary>
    public static string SheetName(string workflow) =>
        new string([.. workflow.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).Take(31)]);

    private static string? Cell(JToken? value) => value switch
    {
        null => null,
        { Type: JTokenType.String } => (string?)value,
        _ => value.ToString(Formatting.None),
    };

    private static JObject Parse(string text) => JObject.Parse(text, Comments);
}
