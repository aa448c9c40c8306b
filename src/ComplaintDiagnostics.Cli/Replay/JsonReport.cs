using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The replay report as one JSON document: what <c>--json</c> writes and what the HTML report renders.</summary>
internal static class JsonReport
{
    /// <summary>Streams the report: the lists are copied from the run's temporary files, never held whole.</summary>
    public static async Task WriteAsync(string path, ReplayRun run)
    {
        await using var file = File.Create(path);
        await using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, Encoder = ContractJson.Options.Encoder });
        Write(w, run, listLimit: int.MaxValue);
    }

    /// <param name="listLimit">How many disagreements and changes to write (the counts are always whole).</param>
    public static void Write(Utf8JsonWriter w, ReplayRun run, int listLimit)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(run);
        var t = run.Tally;
        w.WriteStartObject();
        w.WriteString("rulesVersion", t.Version);
        if (run.Shard is { } shard)
        {
            w.WriteString("shard", shard.ToString());
        }
        w.WriteNumber("lines", run.Lines);
        w.WriteNumber("physicalLines", run.LastLine);
        w.WriteNumber("malformed", run.MalformedCount);
        w.WriteNumber("unreadable", run.UnreadableCount);
        w.WriteNumber("unreadableLines", run.UnreadableLines);
        w.WriteNumber("evaluated", t.Evaluated);
        w.WriteNumber("agreed", t.Agreed);
        w.WriteNumber("agreement", t.Agreement);
        w.WriteNumber("needsInfoRate", t.NeedsInfoRate);
        if (t.RouteAgreement is { } route)
        {
            w.WriteNumber("routeAgreement", route);
        }
        WriteCounts(w, t);
        w.WritePropertyName("causes");
        JsonSerializer.Serialize(w, t.Causes, ContractJson.Options);
        WriteConfusion(w, t);
        if (run.UnknownConfirmed is { } unknown)
        {
            w.WritePropertyName("unknownConfirmedCauses");
            JsonSerializer.Serialize(w, unknown, ContractJson.Options);
        }
        w.WritePropertyName("malformedLines");
        JsonSerializer.Serialize(w, run.Malformed, ContractJson.Options);
        w.WriteNumber("disagreementCount", t.DisagreementCount);
        WriteSpilled(w, "disagreements", t.DisagreementLines().Take(listLimit));
        if (run.Comparison is { } cmp)
        {
            w.WriteStartObject("comparison");
            w.WriteString("baselineVersion", cmp.Baseline.Version);
            w.WriteNumber("baselineAgreement", cmp.Baseline.Agreement);
            // The baseline's own counts, so that shard reports merge into exactly the single run's comparison.
            w.WriteStartObject("baseline");
            WriteCounts(w, cmp.Baseline);
            WriteConfusion(w, cmp.Baseline);
            w.WriteEndObject();
            w.WriteNumber("changed", cmp.ChangedCount);
            w.WritePropertyName("changedParts");
            JsonSerializer.Serialize(w, cmp.ChangedParts, ContractJson.Options);
            w.WritePropertyName("causes");
            JsonSerializer.Serialize(w, run.CauseChanges, ContractJson.Options);
            w.WritePropertyName("movedToNewCause");
            JsonSerializer.Serialize(w, run.MovedToNewCause, ContractJson.Options);
            w.WritePropertyName("evidence");
            JsonSerializer.Serialize(w, run.Evidence, ContractJson.Options);
            WriteSpilled(w, "changes", cmp.ChangeLines().Take(listLimit));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>The raw counts behind the percentages (what a merge adds up).</summary>
    private static void WriteCounts(Utf8JsonWriter w, ReplayTally t)
    {
        w.WriteStartObject("counts");
        w.WriteNumber("evaluated", t.Evaluated);
        w.WriteNumber("agreed", t.Agreed);
        w.WriteNumber("needsInfo", t.NeedsInfo);
        w.WriteNumber("routeChecked", t.RouteChecked);
        w.WriteNumber("routeAgreed", t.RouteAgreed);
        w.WriteEndObject();
    }

    private static void WriteConfusion(Utf8JsonWriter w, ReplayTally t)
    {
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
}
