using System.Text.Json;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// <c>replay merge</c>: the JSON reports of the N shards of one history (<c>replay --shard K/N</c>) combined into the
/// run the whole history would have given: counts and confusion added up, disagreements, changes and malformed lines
/// interleaved back into line order. The console, JSON and HTML reports are then written from it by the same code
/// as a single run's, so the merged JSON report is the single run's, byte for byte.
/// </summary>
internal static class ReplayMerge
{
    /// <exception cref="InvalidDataException">The reports are not the N shards of one replay.</exception>
    public static ReplayRun Merge(IReadOnlyList<JsonElement> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new InvalidDataException("no report to merge.");
        }
        var shards = reports.Select(r => r.TryGetProperty("shard", out var s) ? Shard.Parse(s.GetString()) : null).ToList();
        if (shards.Any(s => s is null))
        {
            throw new InvalidDataException("every report must be a shard's (written by replay --shard K/N --json).");
        }
        var count = shards[0]!.Value.Count;
        var missing = Enumerable.Range(0, count).Where(k => shards.Count(s => s!.Value.Count == count && s.Value.Index == k) != 1).ToList();
        if (shards.Any(s => s!.Value.Count != count) || missing.Count > 0 || reports.Count != count)
        {
            throw new InvalidDataException($"the reports are not the {count} shards of one replay, each once"
                + (missing.Count > 0 ? $" (missing or repeated: {string.Join(", ", missing.Select(k => $"{k}/{count}"))})." : "."));
        }
        var version = reports[0].GetProperty("rulesVersion").GetString()!;
        var baselineVersion = BaselineVersion(reports[0]);
        if (reports.Any(r => r.GetProperty("rulesVersion").GetString() != version || BaselineVersion(r) != baselineVersion))
        {
            throw new InvalidDataException("the shards were replayed against different rules (rulesVersion or baselineVersion differ).");
        }

        var tally = new ReplayTally(version);
        var comparison = baselineVersion is null ? null : new ComparisonTally(new ReplayTally(baselineVersion));
        var run = new ReplayRun(tally, comparison);
        foreach (var report in reports)
        {
            run.Lines += report.GetProperty("lines").GetInt64();
            AddCounts(tally, report);
            if (comparison is not null)
            {
                AddCounts(comparison.Baseline, report.GetProperty("comparison").GetProperty("baseline"));
            }
        }
        var malformed = InLineOrder(reports.Select(r => r.GetProperty("malformedLines")));
        foreach (var line in malformed.Take(ReplayTally.MalformedKept))
        {
            run.AddMalformed(line.GetProperty("line").GetInt64(), line.GetProperty("error").GetString()!);
        }
        // Every malformed line is counted, also those past the ones listed.
        run.MalformedCount = reports.Sum(r => r.GetProperty("malformed").GetInt64());
        foreach (var disagreement in InLineOrder(reports.Select(r => r.GetProperty("disagreements"))))
        {
            tally.AppendDisagreement(disagreement.GetRawText());
        }
        if (comparison is not null)
        {
            foreach (var change in InLineOrder(reports.Select(r => r.GetProperty("comparison").GetProperty("changes"))))
            {
                comparison.AppendChange(change.GetRawText(), change.GetProperty("changed").EnumerateArray().Select(p => p.GetString()!));
            }
        }
        return run;
    }

    private static string? BaselineVersion(JsonElement report) =>
        report.TryGetProperty("comparison", out var c) ? c.GetProperty("baselineVersion").GetString() : null;

    private static void AddCounts(ReplayTally tally, JsonElement report)
    {
        var counts = report.GetProperty("counts");
        var confusion = report.GetProperty("confusion");
        var labels = confusion.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var cells = confusion.GetProperty("matrix").EnumerateArray()
            .SelectMany((row, i) => row.EnumerateArray().Select((n, j) => ((labels[i], labels[j]), n.GetInt64())))
            .Where(cell => cell.Item2 > 0);
        tally.AddCounts(
            counts.GetProperty("evaluated").GetInt64(), counts.GetProperty("agreed").GetInt64(), counts.GetProperty("needsInfo").GetInt64(),
            counts.GetProperty("routeChecked").GetInt64(), counts.GetProperty("routeAgreed").GetInt64(), cells);
    }

    /// <summary>The items of several arrays, each already in line order, interleaved by their <c>line</c>.</summary>
    private static IEnumerable<JsonElement> InLineOrder(IEnumerable<JsonElement> arrays)
    {
        var queue = new PriorityQueue<IEnumerator<JsonElement>, long>();
        foreach (var array in arrays)
        {
            var items = array.EnumerateArray().GetEnumerator();
            if (items.MoveNext())
            {
                queue.Enqueue(items, items.Current.GetProperty("line").GetInt64());
            }
        }
        while (queue.TryDequeue(out var items, out _))
        {
            yield return items.Current;
            if (items.MoveNext())
            {
                queue.Enqueue(items, items.Current.GetProperty("line").GetInt64());
            }
        }
    }
}
