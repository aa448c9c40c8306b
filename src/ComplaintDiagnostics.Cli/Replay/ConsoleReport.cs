using System.Globalization;
using ComplaintDiagnostics.Contracts;
using Spectre.Console;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The replay report on the console: the summary in sentences, the lists as Spectre.Console tables.</summary>
internal static class ConsoleReport
{
    private const int Listed = 20;

    public static void Write(TextWriter output, ReplayRun run)
    {
        // Plain text (no colours, no cursor moves) at a fixed width, so a log or a pipe reads the same as a terminal.
        var o = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        o.Profile.Width = 160;
        var t = run.Tally;
        Line(o, $"Replayed {t.Evaluated:N0} {Plural(t.Evaluated, "ticket")} against rules {t.Version} ({run.Lines:N0} {Plural(run.Lines, "record")} in {run.LastLine:N0} "
            + $"{Plural(run.LastLine, "line")}, {run.MalformedCount:N0} malformed and skipped"
            + (run.UnreadableCount > 0 ? $", of which {run.UnreadableCount:N0} could not be read at all, taking {run.UnreadableLines:N0} {Plural(run.UnreadableLines, "line")})." : ")."));
        Line(o, $"Agreement: {Pct(t.Agreement)} ({t.Agreed:N0} of {t.Evaluated:N0})   needs-info rate: {Pct(t.NeedsInfoRate)}"
            + (t.RouteAgreement is { } r ? $"   route agreement: {Pct(r)} (of {t.RouteChecked:N0})" : ""));
        o.Write(Table(["cause", "precision", "recall", "support", "predicted"],
            t.Causes.Select(c => new[] { c.Cause, Pct(c.Precision), Pct(c.Recall), N(c.Support), N(c.Predicted) })));

        if (run.UnknownConfirmed is { Count: > 0 } unknown)
        {
            Line(o, $"Confirmed causes that are no cause in the rules: {unknown.Count:N0} (each ticket counted as a disagreement)");
            foreach (var u in unknown.Take(Listed))
            {
                Line(o, $"  {u.Cause}: {N(u.Support)} ticket(s){(u.Advice is { } advice ? "; " + advice : "")}");
            }
            More(o, unknown.Count);
        }
        Line(o, $"Disagreements: {t.DisagreementCount:N0}");
        if (t.DisagreementCount > 0)
        {
            o.Write(Table(["line", "ticket", "confirmed", "predicted", "winning rule"],
                t.Disagreements().Take(Listed).Select(d => new[] { N(d.Line), d.TicketId ?? "", d.Confirmed, d.Predicted, d.MatchedRule ?? "" })));
            More(o, t.DisagreementCount);
        }
        if (run.MalformedCount > 0)
        {
            Line(o, $"Malformed lines: {run.MalformedCount:N0}");
            foreach (var m in run.Malformed.Take(Listed))
            {
                Line(o, $"  line {m.Line}: {m.Error}");
            }
        }
        if (run.Comparison is { } cmp)
        {
            Line(o, "");
            Line(o, $"Compared with baseline {cmp.Baseline.Version}: {cmp.ChangedCount:N0} tickets change their answer; "
                + $"agreement {Pct(cmp.Baseline.Agreement)} → {Pct(t.Agreement)}.");
            if (run.Evidence is { } evidence)
            {
                Line(o, $"As a proposal's check counts them: {evidence.Changed:N0} changed their status or cause, {evidence.Fixed:N0} fixed, "
                    + $"{evidence.Broken:N0} broken, {evidence.MovedToNewCause:N0} moved to a new cause (of {evidence.Tickets:N0} replayed).");
            }
            if (cmp.ChangedParts.Count > 0)
            {
                Line(o, "Tickets changed per part: " + string.Join(", ", cmp.ChangedParts.Select(p => $"{p.Key} {p.Value:N0}")) + ".");
            }
            foreach (var (cause, moved) in run.MovedToNewCause)
            {
                Line(o, $"{moved:N0} tickets move to {cause}, a cause that is new (no history can confirm it yet; not a regression).");
            }
            o.Write(Table(["cause", "before", "after", "support", ""],
                run.CauseChanges.Select(c => new[] { c.Cause, Pct(c.Before), Pct(c.After), N(c.Support),
                    c.Regressed ? "← worse" : c.MovedToNewCause > 0 ? $"{c.MovedToNewCause:N0} moved to a new cause" : "" })));
            if (cmp.ChangedCount > 0)
            {
                o.Write(Table(["line", "ticket", "changed", "before", "after"], cmp.Changes().Take(Listed).Select(c => new[]
                {
                    N(c.Line), c.TicketId ?? "", string.Join("+", c.Changed),
                    $"{c.Before.Cause}/{Wire(c.Before.Route)}", $"{c.After.Cause}/{Wire(c.After.Route)}",
                })));
                More(o, cmp.ChangedCount);
            }
        }
    }

    private static Table Table(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }
        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(cell => new Text(cell))]);
        }
        return table;
    }

    private static void Line(IAnsiConsole o, string text) => o.WriteLine(text);

    private static string Plural(long count, string noun) => count == 1 ? noun : noun + "s";

    private static void More(IAnsiConsole o, long total)
    {
        if (total > Listed)
        {
            Line(o, $"  … {total - Listed:N0} more in the --json / --html report.");
        }
    }

    private static string Pct(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Wire(Route? route) => route is { } r ? ContractJson.WireName(r) : "—";
}
