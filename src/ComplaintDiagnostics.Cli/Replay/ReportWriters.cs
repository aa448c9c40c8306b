using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The replay report as a console summary, a JSON document and a self-contained HTML page.</summary>
internal static class ReportWriters
{
    private const int ConsoleListed = 20;
    private const int HtmlListed = 2000;

    private static string Pct(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    public static async Task WriteConsoleAsync(TextWriter o, ReplayRun run)
    {
        var t = run.Tally;
        await o.WriteLineAsync($"Replayed {t.Evaluated:N0} tickets against rules {t.Version} ({run.Lines:N0} lines, {run.MalformedCount:N0} malformed and skipped).");
        await o.WriteLineAsync($"Agreement: {Pct(t.Agreement)} ({t.Agreed:N0} of {t.Evaluated:N0})   needs-info rate: {Pct(t.NeedsInfoRate)}"
            + (t.RouteAgreement is { } r ? $"   route agreement: {Pct(r)} (of {t.RouteChecked:N0})" : ""));
        await o.WriteLineAsync();
        await o.WriteLineAsync($"{"cause",-24} {"precision",10} {"recall",8} {"support",9} {"predicted",10}");
        foreach (var c in t.Causes)
        {
            await o.WriteLineAsync($"{c.Cause,-24} {Pct(c.Precision),10} {Pct(c.Recall),8} {c.Support,9:N0} {c.Predicted,10:N0}");
        }
        await o.WriteLineAsync();
        await o.WriteLineAsync($"Disagreements: {t.DisagreementCount:N0}");
        foreach (var d in t.Disagreements().Take(ConsoleListed))
        {
            await o.WriteLineAsync($"  line {d.Line,-7} {d.TicketId,-22} confirmed {d.Confirmed,-22} predicted {d.Predicted,-22} ({d.MatchedRule})");
        }
        if (t.DisagreementCount > ConsoleListed)
        {
            await o.WriteLineAsync($"  … {t.DisagreementCount - ConsoleListed:N0} more in the --json / --html report.");
        }
        if (run.MalformedCount > 0)
        {
            await o.WriteLineAsync($"Malformed lines: {run.MalformedCount:N0}");
            foreach (var m in run.Malformed.Take(ConsoleListed))
            {
                await o.WriteLineAsync($"  line {m.Line}: {m.Error}");
            }
        }
        if (run.Comparison is { } cmp)
        {
            await o.WriteLineAsync();
            await o.WriteLineAsync($"Compared with baseline {cmp.Baseline.Version}: {cmp.ChangedCount:N0} tickets change their answer; "
                + $"agreement {Pct(cmp.Baseline.Agreement)} → {Pct(t.Agreement)}.");
            await o.WriteLineAsync($"{"cause",-24} {"before",8} {"after",8} {"support",9}");
            foreach (var c in run.CauseChanges)
            {
                await o.WriteLineAsync($"{c.Cause,-24} {Pct(c.Before),8} {Pct(c.After),8} {c.Support,9:N0}{(c.Regressed ? "   ← worse" : "")}");
            }
            foreach (var change in cmp.Changes().Take(ConsoleListed))
            {
                await o.WriteLineAsync($"  line {change.Line,-7} {change.TicketId,-22} {string.Join("+", change.Changed),-12} "
                    + $"{change.Before.Cause}/{Wire(change.Before.Route)} → {change.After.Cause}/{Wire(change.After.Route)}");
            }
            if (cmp.ChangedCount > ConsoleListed)
            {
                await o.WriteLineAsync($"  … {cmp.ChangedCount - ConsoleListed:N0} more in the --json / --html report.");
            }
        }
    }

    private static string Wire(Route? route) => route is { } r ? ContractJson.WireName(r) : "—";

    /// <summary>Streams the report: the lists are copied from the run's temporary files, never held whole.</summary>
    public static async Task WriteJsonAsync(string path, ReplayRun run)
    {
        await using var file = File.Create(path);
        await using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, Encoder = ContractJson.Options.Encoder });
        var t = run.Tally;
        w.WriteStartObject();
        w.WriteString("rulesVersion", t.Version);
        w.WriteNumber("lines", run.Lines);
        w.WriteNumber("malformed", run.MalformedCount);
        w.WriteNumber("evaluated", t.Evaluated);
        w.WriteNumber("agreed", t.Agreed);
        w.WriteNumber("agreement", t.Agreement);
        w.WriteNumber("needsInfoRate", t.NeedsInfoRate);
        if (t.RouteAgreement is { } route)
        {
            w.WriteNumber("routeAgreement", route);
        }
        w.WritePropertyName("causes");
        JsonSerializer.Serialize(w, t.Causes, ContractJson.Options);
        var labels = t.Labels;
        w.WriteStartObject("confusion");
        w.WritePropertyName("labels");
        JsonSerializer.Serialize(w, labels, ContractJson.Options);
        w.WriteStartArray("matrix");
        foreach (var confirmed in labels)
        {
            w.WriteStartArray();
            foreach (var predicted in labels)
            {
                w.WriteNumberValue(t.Count(confirmed, predicted));
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteString("rows", "confirmed");
        w.WriteString("columns", "predicted");
        w.WriteEndObject();
        w.WritePropertyName("malformedLines");
        JsonSerializer.Serialize(w, run.Malformed, ContractJson.Options);
        WriteSpilled(w, "disagreements", t.DisagreementLines());
        if (run.Comparison is { } cmp)
        {
            w.WriteStartObject("comparison");
            w.WriteString("baselineVersion", cmp.Baseline.Version);
            w.WriteNumber("baselineAgreement", cmp.Baseline.Agreement);
            w.WriteNumber("changed", cmp.ChangedCount);
            w.WritePropertyName("causes");
            JsonSerializer.Serialize(w, run.CauseChanges, ContractJson.Options);
            WriteSpilled(w, "changes", cmp.ChangeLines());
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>An array of JSON lines read back from a run's temporary file, written as they come.</summary>
    private static void WriteSpilled(Utf8JsonWriter w, string name, IEnumerable<string> jsonLines)
    {
        w.WriteStartArray(name);
        foreach (var line in jsonLines)
        {
            w.WriteRawValue(line, skipInputValidation: true);
        }
        w.WriteEndArray();
    }

    /// <summary>One HTML file with inline CSS and SVG: opens offline in any browser.</summary>
    public static async Task WriteHtmlAsync(string path, ReplayRun run)
    {
        var t = run.Tally;
        var h = new StringBuilder();
        string E(object? text) => WebUtility.HtmlEncode(Convert.ToString(text, CultureInfo.InvariantCulture) ?? "");
        h.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Replay report</title><style>
            body{font:14px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#1d2330}
            table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #d5dae3;padding:.25rem .5rem;text-align:right}
            th{background:#f1f4f9}td.l,th.l{text-align:left}.heat td{min-width:2.5rem}.worse{color:#b52b27;font-weight:600}
            </style></head><body>
            """);
        h.Append(CultureInfo.InvariantCulture, $"<h1>Replay report</h1><p>Rules <b>{E(t.Version)}</b>: {t.Evaluated:N0} tickets replayed ({run.Lines:N0} lines, {run.MalformedCount:N0} malformed).</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p>Agreement <b id=\"agreement\">{Pct(t.Agreement)}</b> ({t.Agreed:N0} of {t.Evaluated:N0}); needs-info rate {Pct(t.NeedsInfoRate)}");
        h.Append(t.RouteAgreement is { } ra ? $"; route agreement {Pct(ra)}.</p>" : ".</p>");

        h.Append("<h2>Per cause</h2>");
        AppendBarChart(h, t.Causes);
        h.Append("<table><tr><th class=l>cause</th><th>precision</th><th>recall</th><th>support</th><th>predicted</th></tr>");
        foreach (var c in t.Causes)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(c.Cause)}</td><td>{Pct(c.Precision)}</td><td>{Pct(c.Recall)}</td><td>{c.Support:N0}</td><td>{c.Predicted:N0}</td></tr>");
        }
        h.Append("</table>");

        h.Append("<h2>Confusion matrix</h2><p>Rows: confirmed cause. Columns: predicted cause. Darker is more tickets.</p><table class=heat><tr><th></th>");
        var labels = t.Labels;
        foreach (var l in labels)
        {
            h.Append(CultureInfo.InvariantCulture, $"<th title=\"{E(l)}\" style=\"writing-mode:vertical-rl\">{E(l)}</th>");
        }
        h.Append("</tr>");
        var max = Math.Max(1, labels.SelectMany(a => labels.Select(b => t.Count(a, b))).Max());
        foreach (var confirmed in labels)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><th class=l>{E(confirmed)}</th>");
            foreach (var predicted in labels)
            {
                var n = t.Count(confirmed, predicted);
                var alpha = n == 0 ? 0 : 0.1 + 0.9 * n / max;
                var hue = confirmed == predicted ? "37,120,200" : "200,60,50";
                h.Append(CultureInfo.InvariantCulture, $"<td style=\"background:rgba({hue},{alpha.ToString("0.00", CultureInfo.InvariantCulture)});color:{(alpha > 0.55 ? "#fff" : "#1d2330")}\">{(n == 0 ? "" : n.ToString("N0", CultureInfo.InvariantCulture))}</td>");
            }
            h.Append("</tr>");
        }
        h.Append("</table>");

        h.Append(CultureInfo.InvariantCulture, $"<h2>Disagreements ({t.DisagreementCount:N0})</h2><table id=disagreements><tr><th>line</th><th class=l>ticket</th><th class=l>confirmed</th><th class=l>predicted</th><th class=l>winning rule</th></tr>");
        foreach (var d in t.Disagreements().Take(HtmlListed))
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{d.Line}</td><td class=l>{E(d.TicketId)}</td><td class=l>{E(d.Confirmed)}</td><td class=l>{E(d.Predicted)}</td><td class=l>{E(d.MatchedRule)}</td></tr>");
        }
        h.Append("</table>");
        if (t.DisagreementCount > HtmlListed)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p>The first {HtmlListed:N0} are listed; the JSON report has all of them.</p>");
        }

        if (run.Comparison is { } cmp)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Against baseline {E(cmp.Baseline.Version)}</h2><p>{cmp.ChangedCount:N0} tickets change their answer; agreement {Pct(cmp.Baseline.Agreement)} → {Pct(t.Agreement)}.</p>");
            h.Append("<table><tr><th class=l>cause</th><th>before</th><th>after</th><th>support</th></tr>");
            foreach (var c in run.CauseChanges)
            {
                h.Append(CultureInfo.InvariantCulture, $"<tr{(c.Regressed ? " class=worse" : "")}><td class=l>{E(c.Cause)}</td><td>{Pct(c.Before)}</td><td>{Pct(c.After)}</td><td>{c.Support:N0}</td></tr>");
            }
            h.Append("</table><table id=changes><tr><th>line</th><th class=l>ticket</th><th class=l>changed</th><th class=l>before</th><th class=l>after</th></tr>");
            foreach (var c in cmp.Changes().Take(HtmlListed))
            {
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{c.Line}</td><td class=l>{E(c.TicketId)}</td><td class=l>{E(string.Join(", ", c.Changed))}</td>"
                    + $"<td class=l>{E(c.Before.Cause)} / {E(Wire(c.Before.Route))} / {E(c.Before.Reply)}</td><td class=l>{E(c.After.Cause)} / {E(Wire(c.After.Route))} / {E(c.After.Reply)}</td></tr>");
            }
            h.Append("</table>");
        }
        if (run.MalformedCount > 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Malformed lines ({run.MalformedCount:N0})</h2><ul>");
            foreach (var m in run.Malformed)
            {
                h.Append(CultureInfo.InvariantCulture, $"<li>line {m.Line}: {E(m.Error)}</li>");
            }
            h.Append("</ul>");
        }
        h.Append("</body></html>\n");
        await File.WriteAllTextAsync(path, h.ToString());
    }

    /// <summary>Precision and recall per cause as horizontal bars, in inline SVG.</summary>
    private static void AppendBarChart(StringBuilder h, IReadOnlyList<CauseStats> causes)
    {
        const int rowHeight = 22, labelWidth = 210, barWidth = 400;
        var height = causes.Count * rowHeight + 30;
        h.Append(CultureInfo.InvariantCulture, $"<svg id=\"cause-chart\" width=\"{labelWidth + barWidth + 80}\" height=\"{height}\" role=\"img\" aria-label=\"precision and recall per cause\">");
        h.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth}\" y=\"12\" font-size=\"11\" fill=\"#2575c8\">■ precision</text><text x=\"{labelWidth + 90}\" y=\"12\" font-size=\"11\" fill=\"#e08a1e\">■ recall</text>");
        for (var i = 0; i < causes.Count; i++)
        {
            var y = 20 + i * rowHeight;
            var c = causes[i];
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 14}\" font-size=\"11\" text-anchor=\"end\">{WebUtility.HtmlEncode(c.Cause)}</text>");
            h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 2}\" height=\"8\" width=\"{barWidth * (c.Precision ?? 0) / 100:0.#}\" fill=\"#2575c8\"><title>precision {Pct(c.Precision)}</title></rect>");
            h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 11}\" height=\"8\" width=\"{barWidth * (c.Recall ?? 0) / 100:0.#}\" fill=\"#e08a1e\"><title>recall {Pct(c.Recall)}</title></rect>");
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + barWidth + 6}\" y=\"{y + 14}\" font-size=\"11\">{c.Support:N0}</text>");
        }
        h.Append("</svg>");
    }
}
