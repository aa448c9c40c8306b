using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// What a proposal changes, as a reviewer reads it (contract, "Rule lifecycle": a per-table diff): per workflow table,
/// the rows added, removed, moved in hit order and modified, each with the cells that differ (a condition by its request
/// path, the outcome by its field, deadlines included); per reply, each text that differs. Rows are matched by name;
/// comments and layout do not count. Files that are not JSON (a proposal that does not parse was refused before) are
/// skipped.
/// </summary>
public static class ProposalDiff
{
    private static readonly JsonLoadSettings Comments = new() { CommentHandling = CommentHandling.Ignore, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace };

    public static ProposalDiffView Between(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var tables = new List<TableDiff>();
        var replies = new List<ReplyDiff>();
        foreach (var file in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var (was, now) = (Parse(before.GetValueOrDefault(file)), Parse(after.GetValueOrDefault(file)));
            if (file.StartsWith("workflows/", StringComparison.Ordinal))
            {
                var rows = Rows(was, now);
                if (rows.Count > 0)
                {
                    tables.Add(new TableDiff(file, (string?)(now ?? was)?["WorkflowName"], rows));
                }
            }
            else if (file == "replies.json")
            {
                replies.AddRange(Replies(was, now));
            }
        }
        return new ProposalDiffView(tables, replies);
    }

    private static List<RowDiff> Rows(JObject? before, JObject? after)
    {
        var was = Named(before);
        var now = Named(after);
        var kept = now.Where(r => was.Any(w => w.Name == r.Name)).Select(r => r.Name).ToList();
        var keptBefore = was.Where(w => kept.Contains(w.Name)).Select(w => w.Name).ToList();
        var rows = new List<RowDiff>();
        for (var i = 0; i < now.Count; i++)
        {
            var (name, row) = now[i];
            var old = was.FirstOrDefault(w => w.Name == name).Row;
            var cells = Cells(old, row);
            var change = old is null ? "added"
                : kept.IndexOf(name) != keptBefore.IndexOf(name) ? "moved"
                : cells.Count > 0 ? "modified" : null;
            if (change is not null)
            {
                rows.Add(new RowDiff(name, change, i + 1, old is null ? null : was.FindIndex(w => w.Name == name) + 1, cells));
            }
        }
        foreach (var (name, row) in was.Where(w => now.All(n => n.Name != w.Name)))
        {
            rows.Add(new RowDiff(name, "removed", null, was.FindIndex(w => w.Name == name) + 1, Cells(row, null)));
        }
        return rows;
    }

    private static List<(string Name, JObject Row)> Named(JObject? workflow) =>
        [.. ((workflow?["Rules"] as JArray) ?? []).OfType<JObject>().Select((r, i) => ((string?)r["RuleName"] ?? $"#{i + 1}", r))];

    /// <summary>A row's cells by column: each condition by its request path, MustState, AskFor, Expression, each outcome
    /// field (deadlines.contactByMinutes, ...).</summary>
    private static Dictionary<string, JToken> Flat(JObject? row)
    {
        var cells = new Dictionary<string, JToken>(StringComparer.Ordinal);
        if (row is null)
        {
            return cells;
        }
        foreach (var condition in (row["When"] as JObject)?.Properties() ?? [])
        {
            cells[condition.Name] = condition.Value;
        }
        foreach (var key in new[] { "MustState", "AskFor", "Expression", "LocalParams", "Enabled" })
        {
            if (row[key] is { } value)
            {
                cells[key] = value;
            }
        }
        foreach (var property in (row["Properties"] as JObject)?.Properties() ?? [])
        {
            if (property is { Name: "deadlines", Value: JObject deadlines })
            {
                foreach (var deadline in deadlines.Properties())
                {
                    cells[$"deadlines.{deadline.Name}"] = deadline.Value;
                }
            }
            else
            {
                cells[property.Name] = property.Value;
            }
        }
        return cells;
    }

    private static List<CellDiff> Cells(JObject? before, JObject? after)
    {
        var (was, now) = (Flat(before), Flat(after));
        return [.. was.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(c => !JToken.DeepEquals(was.GetValueOrDefault(c), now.GetValueOrDefault(c)))
            .Select(c => new CellDiff(c, Text(was.GetValueOrDefault(c)), Text(now.GetValueOrDefault(c))))];
    }

    private static IEnumerable<ReplyDiff> Replies(JObject? before, JObject? after)
    {
        var (was, now) = (before?["templates"] as JObject, after?["templates"] as JObject);
        var ids = (was?.Properties().Select(p => p.Name) ?? []).Union(now?.Properties().Select(p => p.Name) ?? []).Order(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            foreach (var part in new[] { "customer", "workOrder" })
            {
                var (a, b) = (was?[id]?[part] as JObject, now?[id]?[part] as JObject);
                foreach (var language in (a?.Properties().Select(p => p.Name) ?? []).Union(b?.Properties().Select(p => p.Name) ?? []).Order(StringComparer.Ordinal))
                {
                    var (x, y) = ((string?)a?[language], (string?)b?[language]);
                    if (x != y)
                    {
                        yield return new ReplyDiff(id, part, language, x, y);
                    }
                }
            }
        }
    }

    private static string? Text(JToken? value) => value switch
    {
        null => null,
        { Type: JTokenType.String } => (string?)value,
        _ => value.ToString(Formatting.None),
    };

    private static JObject? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return JObject.Parse(text, Comments);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record ProposalDiffView(IReadOnlyList<TableDiff> Tables, IReadOnlyList<ReplyDiff> Replies);

/// <param name="Rows">In the proposal's hit order, then the rows it removes.</param>
public sealed record TableDiff(string File, string? Workflow, IReadOnlyList<RowDiff> Rows);

/// <param name="Change"><c>added</c>, <c>removed</c>, <c>moved</c> (its place in hit order among the rows both have
/// changed; its cells may differ too) or <c>modified</c>.</param>
/// <param name="Position">1-based in the proposal (null: removed).</param>
/// <param name="Was">1-based in the base release (null: added).</param>
/// <param name="Cells">The cells that differ (all of an added or removed row's), each as written (text, or JSON).</param>
public sealed record RowDiff(string Rule, string Change, int? Position, int? Was, IReadOnlyList<CellDiff> Cells);

public sealed record CellDiff(string Column, string? Before, string? After);

public sealed record ReplyDiff(string Template, string Part, string Language, string? Before, string? After);
