using System.Globalization;
using ComplaintDiagnostics.Core.Rules.Tables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>
/// Stage (part of reading a rule): turns a decision-table row, <c>"When": { "customer.tier": ["groupLocal", "groupProvincial"] }</c>
/// with its <c>"MustState"</c> or <c>"AskFor"</c> list, into a RulesEngine expression and a local parameter
/// <c>missing</c>, refusing an unknown column or a value outside the contract at its own line, with the allowed
/// columns or values. The expression then goes through the same checks as one written by hand.
/// </summary>
internal sealed class WhenReader(RuleFiles files, string file, string rule, WorkflowRole role, IReadOnlyCollection<string>? causes)
{
    private static readonly string[] Operators = ["not", "known", ">", ">=", "<", "<="];

    /// <returns>The condition, or null when the row has a problem (already reported).</returns>
    public RuleCondition? Read(JObject json, string? expression, bool needsInfo)
    {
        var when = json["When"];
        var mustState = json["MustState"];
        var askFor = json["AskFor"];
        if (when is not null && expression is not null)
        {
            files.Add(file, when, rule, "a rule states its condition once: either \"When\" (a table row) or \"Expression\", not both.");
            return null;
        }
        if (mustState is not null && askFor is not null)
        {
            files.Add(file, askFor, rule, "\"MustState\" already lists what is missing; \"AskFor\" is for a row whose condition is in \"When\" or \"Expression\".");
            return null;
        }
        if ((mustState ?? askFor) is { } list && !needsInfo)
        {
            files.Add(file, list, rule, $"\"{(mustState is null ? "AskFor" : "MustState")}\" lists what a needs-info answer asks for: give the rule \"status\": \"needsInfo\".");
            return null;
        }
        if (askFor is not null && when is null && expression is null)
        {
            files.Add(file, askFor, rule, "\"AskFor\" needs a condition in \"When\" or \"Expression\" (or use \"MustState\", which is its own condition).");
            return null;
        }

        var ok = true;
        List<TableCell>? cells = null;
        List<string> conditions = [];
        if (when is not null)
        {
            cells = [];
            if (when is not JObject row)
            {
                files.Add(file, when, rule, "\"When\" is an object of column: test, e.g. { \"inArrears\": true, \"customer.tier\": [\"groupLocal\", \"groupProvincial\"] }; {} always matches.");
                return null;
            }
            foreach (var cell in row.Properties())
            {
                if (Cell(cell) is { } read)
                {
                    cells.Add(read.Cell);
                    conditions.Add(read.Expression);
                }
                else
                {
                    ok = false;
                }
            }
        }
        else if (expression is not null)
        {
            conditions.Add(expression);
        }

        var listed = Paths(mustState ?? askFor, mustState is not null ? "MustState" : "AskFor");
        ok &= listed is not null;
        if (!ok)
        {
            return null;
        }
        string? missing = null;
        var tests = Conjunction(conditions);
        var missingDecides = false;
        if (listed is { Count: > 0 })
        {
            var arguments = string.Join(", ", listed.Select(Quote));
            missing = mustState is not null ? $"ticket.Unknown({arguments})" : $"ticket.Fields({arguments})";
            if (mustState is not null)
            {
                conditions.Add($"{RuleSetCompiler.MissingParameter}.Length > 0");
                missingDecides = true;
            }
        }
        var table = cells is null && mustState is null ? null
            : new RuleTable(cells ?? [], mustState is null ? [] : listed!, askFor is null ? [] : listed!);
        return new RuleCondition(Conjunction(conditions), missing, table, tests, missingDecides);
    }

    private static string Conjunction(List<string> conditions) => conditions.Count switch
    {
        0 => "true",
        1 => conditions[0],
        _ => string.Join(" && ", conditions.Select(c => c.Contains("||", StringComparison.Ordinal) ? $"({c})" : c)),
    };

    private List<string>? Paths(JToken? token, string key)
    {
        if (token is null)
        {
            return [];
        }
        if (token is not JArray { Count: > 0 } array || array.Any(t => t.Type != JTokenType.String))
        {
            files.Add(file, token, rule, $"\"{key}\" is a list of request paths, e.g. [\"billing\", \"frontDeskChecks.restarted\"].");
            return null;
        }
        var paths = new List<string>();
        var ok = true;
        foreach (var item in array)
        {
            var path = (string)item!;
            if (!Tickets.RequestFields.Exists(path))
            {
                files.Add(file, item, rule, Tickets.RequestFields.NotAField(path));
                ok = false;
            }
            paths.Add(path);
        }
        return ok ? paths : null;
    }

    private (TableCell Cell, string Expression)? Cell(JProperty cell)
    {
        var column = TablePaths.Find(cell.Name);
        if (column is null || !column.Roles.Contains(role))
        {
            var allowed = TablePaths.For(role).Select(c => c.Path).ToList();
            var inside = allowed.Where(p => p.StartsWith(cell.Name + ".", StringComparison.Ordinal)).ToList();
            var why = TablePaths.WhyNotColumn(cell.Name) is { } reason ? $" It cannot be a column: {reason}."
                : column is not null ? $" A {role.ToString().ToLowerInvariant()} workflow does not see it."
                : inside.Count > 0 ? $" A column is a whole path, e.g. {string.Join(", ", inside)}."
                : DidYouMean.Phrase(cell.Name, allowed);
            files.Add(file, cell, rule, $"'{cell.Name}' is not a column a rule can test.{why} Columns: {string.Join(", ", allowed)}.");
            return null;
        }
        var test = cell.Value;
        var tests = new List<(string Text, string Expression)>();
        if (test is JObject operators)
        {
            if (!operators.HasValues)
            {
                files.Add(file, test, rule, $"an operator test names at least one of: {string.Join(", ", Operators)}.");
                return null;
            }
            foreach (var op in operators.Properties())
            {
                if (Operator(column, op) is not { } read)
                {
                    return null;
                }
                tests.Add(read);
            }
        }
        else if (AnyOf(column, test, negate: false) is { } read)
        {
            tests.Add(read);
        }
        else
        {
            return null;
        }
        return (new TableCell(column.Path, string.Join(", ", tests.Select(t => t.Text))),
            string.Join(" && ", tests.Select(t => tests.Count > 1 && t.Expression.Contains("||", StringComparison.Ordinal) ? $"({t.Expression})" : t.Expression)));
    }

    private (string Text, string Expression)? Operator(TableColumn column, JProperty op)
    {
        switch (op.Name)
        {
            case "not":
                return AnyOf(column, op.Value, negate: true);
            case "known":
                if (op.Value.Type != JTokenType.Boolean)
                {
                    files.Add(file, op, rule, "\"known\" is true (the complaint states it) or false (it does not).");
                    return null;
                }
                if (!CanBeUnknown(column, op))
                {
                    return null;
                }
                return (bool)op.Value ? ("known", $"{column.Member} != null") : ("unknown", $"{column.Member} == null");
            case ">" or ">=" or "<" or "<=":
                if (column.Kind != ColumnKind.Number)
                {
                    files.Add(file, op, rule, $"'{column.Path}' is not a number; \"{op.Name}\" compares numbers.");
                    return null;
                }
                if (op.Value.Type is not (JTokenType.Integer or JTokenType.Float) || !double.IsFinite((double)op.Value))
                {
                    files.Add(file, op, rule, $"\"{op.Name}\" takes a number, e.g. {{ \"{op.Name}\": 2 }}.");
                    return null;
                }
                var number = Number(op.Value);
                return ($"{op.Name} {number}", $"{column.Member} {op.Name} {number}");
            default:
                files.Add(file, op, rule, $"'{op.Name}' is not an operator.{DidYouMean.Phrase(op.Name, Operators)} Operators: {string.Join(", ", Operators)}.");
                return null;
        }
    }

    /// <summary>A value, <c>null</c> (unknown) or a list of them (any of), or with <paramref name="negate"/> none of them.</summary>
    private (string Text, string Expression)? AnyOf(TableColumn column, JToken test, bool negate)
    {
        var items = test is JArray array ? array.ToList() : [test];
        if (items.Count == 0)
        {
            files.Add(file, test, rule, "an empty list matches nothing; list the values that match.");
            return null;
        }
        var texts = new List<string>();
        var parts = new List<string>();
        foreach (var item in items)
        {
            if (Value(column, item) is not { } value)
            {
                return null;
            }
            texts.Add(value.Text);
            parts.Add($"{column.Member} {(negate ? "!=" : "==")} {value.Literal}");
        }
        var text = string.Join(" or ", texts);
        return negate
            ? ($"not {text}", string.Join(" && ", parts))
            : (text, string.Join(" || ", parts));
    }

    private (string Text, string Literal)? Value(TableColumn column, JToken item)
    {
        if (item.Type == JTokenType.Null)
        {
            return CanBeUnknown(column, item) ? ("unknown", "null") : null;
        }
        switch (column.Kind)
        {
            case ColumnKind.Boolean when item.Type == JTokenType.Boolean:
                return (bool)item ? ("true", "true") : ("false", "false");
            case ColumnKind.Number when item.Type is JTokenType.Integer
                || (item.Type == JTokenType.Float && !column.WholeNumbers && double.IsFinite((double)item)):
                return (Number(item), Number(item));
            case ColumnKind.Choice when item.Type == JTokenType.String:
                var wire = (string)item!;
                var match = column.Values.FirstOrDefault(v => string.Equals(v.Wire, wire, StringComparison.Ordinal));
                if (match.Wire is null)
                {
                    var names = column.Values.Select(v => v.Wire).ToList();
                    files.Add(file, item, rule, $"'{wire}' is not a value of '{column.Path}'.{DidYouMean.Phrase(wire, names)} Values: {string.Join(", ", names)}.");
                    return null;
                }
                return (match.Wire, Quote(match.Member));
            case ColumnKind.Text when item.Type == JTokenType.String:
                var text = (string)item!;
                // No catalogue (causes.json refused, and said so): nothing to check against, rather than every cause "unknown".
                if (column.Path == "diagnosis.cause" && causes is not null && !causes.Contains(text))
                {
                    files.Add(file, item, rule, $"'{text}' is not a cause in {RuleSources.CausesFile}.{DidYouMean.Phrase(text, causes)}");
                    return null;
                }
                return (column.Path == "diagnosis.cause" ? text : JsonConvert.ToString(text), Quote(text));
        }
        var expected = column.Kind switch
        {
            ColumnKind.Boolean => "true or false",
            ColumnKind.Number => column.WholeNumbers ? "a whole number" : "a number",
            ColumnKind.Choice => "one of " + string.Join(", ", column.Values.Select(v => v.Wire)),
            _ => "a text",
        };
        files.Add(file, item, rule, $"'{item.ToString(Formatting.None)}' is not a value of '{column.Path}': it takes {expected}"
            + (column.CanBeUnknown ? ", null (unknown), a list of those (any of), or an operator object (not, known, > >= < <=)." : "."));
        return null;
    }

    private bool CanBeUnknown(TableColumn column, JToken at)
    {
        if (!column.CanBeUnknown)
        {
            files.Add(file, at, rule, $"'{column.Path}' is always known, so it cannot be tested for unknown.");
        }
        return column.CanBeUnknown;
    }

    private static string Number(JToken token) =>
        token.Type == JTokenType.Integer ? ((long)token).ToString(CultureInfo.InvariantCulture) : ((double)token).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A string literal of the expression language.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
