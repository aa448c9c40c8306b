using System.Text.Json;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The counts of one tally, as a shard reports them.</summary>
internal sealed record TallyCounts(
    long Evaluated, long Agreed, long NeedsInfo, long RouteChecked, long RouteAgreed,
    IReadOnlyList<((string Confirmed, string Predicted) Cell, long Count)> Confusion)
{
    public static TallyCounts Of(ReplayTally tally) =>
        new(tally.Evaluated, tally.Agreed, tally.NeedsInfo, tally.RouteChecked, tally.RouteAgreed, [.. tally.Confusion]);

    public static TallyCounts Of(JsonElement report)
    {
        var counts = report.GetProperty("counts");
        var confusion = report.GetProperty("confusion");
        var labels = confusion.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var cells = confusion.GetProperty("matrix").EnumerateArray()
            .SelectMany((row, i) => row.EnumerateArray().Select((n, j) => ((labels[i], labels[j]), n.GetInt64())))
            .Where(cell => cell.Item2 > 0);
        return new(counts.GetProperty("evaluated").GetInt64(), counts.GetProperty("agreed").GetInt64(), counts.GetProperty("needsInfo").GetInt64(),
            counts.GetProperty("routeChecked").GetInt64(), counts.GetProperty("routeAgreed").GetInt64(), [.. cells]);
    }

    public void AddTo(ReplayTally tally) => tally.AddCounts(Evaluated, Agreed, NeedsInfo, RouteChecked, RouteAgreed, Confusion);
}

/// <summary>One shard's result, from its JSON report (<c>replay merge</c>) or from a run in this process (the parallel
/// replay): everything a merge needs, the lists in line order.</summary>
internal sealed record ShardResult(
    Shard? Shard, string Version, string? BaselineVersion, long Lines, long Malformed, IEnumerable<JsonElement> MalformedLines,
    TallyCounts Tally, TallyCounts? Baseline, IEnumerable<JsonElement> Disagreements, IEnumerable<JsonElement> Changes,
    IReadOnlyList<UnknownCause>? Unknown = null, long LastLine = 0, long Unreadable = 0, long UnreadableLines = 0)
{
    /// <summary>Why the counts cannot be those of a replay (a report edited by hand, or truncated), or null.</summary>
    public string? Impossible()
    {
        var counts = new (string Name, long Value)[]
        {
            ("lines", Lines), ("malformed", Malformed), ("evaluated", Tally.Evaluated), ("agreed", Tally.Agreed), ("needsInfo", Tally.NeedsInfo),
            ("routeChecked", Tally.RouteChecked), ("routeAgreed", Tally.RouteAgreed), ("unreadable", Unreadable), ("unreadableLines", UnreadableLines),
            ("physicalLines", LastLine),
        };
        if (counts.FirstOrDefault(c => c.Value < 0) is { Name: { } negative } found)
        {
            return $"{negative} is {found.Value}, below 0";
        }
        if (Tally.Confusion.FirstOrDefault(c => c.Count < 0) is { Cell.Confirmed: { } confirmed } cell)
        {
            return $"the confusion count of {confirmed} → {cell.Cell.Predicted} is {cell.Count}, below 0";
        }
        return Tally.Evaluated + Malformed != Lines ? $"evaluated {Tally.Evaluated} and malformed {Malformed} do not add up to lines {Lines}"
            : Tally.Agreed > Tally.Evaluated ? $"agreed {Tally.Agreed} is more than evaluated {Tally.Evaluated}"
            : Tally.NeedsInfo > Tally.Evaluated ? $"needsInfo {Tally.NeedsInfo} is more than evaluated {Tally.Evaluated}"
            : Tally.RouteAgreed > Tally.RouteChecked || Tally.RouteChecked > Tally.Evaluated ? "the route counts are more than the tickets evaluated"
            : Tally.Confusion.Sum(c => c.Count) != Tally.Evaluated ? $"the confusion matrix holds {Tally.Confusion.Sum(c => c.Count)} tickets, not the {Tally.Evaluated} evaluated"
            : Unreadable > Malformed ? $"unreadable {Unreadable} is more than malformed {Malformed}"
            : null;
    }

    public static ShardResult Of(JsonElement report)
    {
        var comparison = report.TryGetProperty("comparison", out var c) ? c : (JsonElement?)null;
        return new(
            report.TryGetProperty("shard", out var s) ? Replay.Shard.Parse(s.GetString()) : null,
            report.GetProperty("rulesVersion").GetString()!,
            comparison?.GetProperty("baselineVersion").GetString(),
            report.GetProperty("lines").GetInt64(),
            report.GetProperty("malformed").GetInt64(),
            report.GetProperty("malformedLines").EnumerateArray(),
            TallyCounts.Of(report),
            comparison is { } cmp ? TallyCounts.Of(cmp.GetProperty("baseline")) : null,
            report.GetProperty("disagreements").EnumerateArray(),
            comparison is { } changes ? changes.GetProperty("changes").EnumerateArray() : [],
            report.TryGetProperty("unknownConfirmedCauses", out var unknown) ? unknown.Deserialize<List<UnknownCause>>(Contracts.ContractJson.Options) : null,
            Count(report, "physicalLines"), Count(report, "unreadable"), Count(report, "unreadableLines"));
    }

    /// <summary>A count a report written before it existed does not have: 0.</summary>
    private static long Count(JsonElement report, string name) => report.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    public static ShardResult Of(ReplayRun run) => new(
        run.Shard, run.Tally.Version, run.Comparison?.Baseline.Version, run.Lines, run.MalformedCount,
        run.Malformed.Select(m => JsonSerializer.SerializeToElement(m, Contracts.ContractJson.Options)),
        TallyCounts.Of(run.Tally),
        run.Comparison is { } cmp ? TallyCounts.Of(cmp.Baseline) : null,
        run.Tally.DisagreementLines().Select(Element),
        run.Comparison?.ChangeLines().Select(Element) ?? [],
        run.UnknownConfirmed, run.LastLine, run.UnreadableCount, run.UnreadableLines);

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// The N shards of one history (<c>replay --shard K/N</c>, or the parallel replay's in-process shards) combined into
/// the run the whole history would have given: counts and confusion added up, disagreements, changes and malformed
/// lines interleaved back into line order. The console, JSON and HTML reports are then written from it by the same
/// code as a single run's, so the merged JSON report is the single run's, byte for byte.
/// </summary>
internal static class ReplayMerge
{
    /// <exception cref="InvalidDataException">The results are not the N shards of one replay.</exception>
    public static ReplayRun Merge(IReadOnlyList<ShardResult> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new InvalidDataException("no report to merge.");
        }
        if (shards.Any(s => s.Shard is null))
        {
            throw new InvalidDataException("every report must be a shard's (written by replay --shard K/N --json).");
        }
        var count = shards[0].Shard!.Value.Count;
        var missing = Enumerable.Range(0, count).Where(k => shards.Count(s => s.Shard!.Value.Count == count && s.Shard.Value.Index == k) != 1).ToList();
        if (shards.Any(s => s.Shard!.Value.Count != count) || missing.Count > 0 || shards.Count != count)
        {
            throw new InvalidDataException($"the reports are not the {count} shards of one replay, each once"
                + (missing.Count > 0 ? $" (missing or repeated: {string.Join(", ", missing.Select(k => $"{k}/{count}"))})." : "."));
        }
        foreach (var shard in shards)
        {
            if (shard.Impossible() is { } why)
            {
                throw new InvalidDataException($"shard {shard.Shard}'s counts cannot be those of a replay: {why}. Was the report edited or cut short? Replay that shard again.");
            }
        }
        var version = shards[0].Version;
        var baselineVersion = shards[0].BaselineVersion;
        if (shards.Any(s => s.Version != version || s.BaselineVersion != baselineVersion))
        {
            throw new InvalidDataException("the shards were replayed against different rules (rulesVersion or baselineVersion differ).");
        }

        var tally = new ReplayTally(version);
        var comparison = baselineVersion is null ? null : new ComparisonTally(new ReplayTally(baselineVersion));
        var run = new ReplayRun(tally, comparison);
        foreach (var shard in shards)
        {
            run.Lines += shard.Lines;
            run.UnreadableCount += shard.Unreadable;
            run.UnreadableLines += shard.UnreadableLines;
            // JSON Lines shards are byte ranges and CSV shards every N-th record of the whole file: either way the file
            // was read to the furthest line any shard reached.
            run.LastLine = Math.Max(run.LastLine, shard.LastLine);
            shard.Tally.AddTo(tally);
            if (comparison is not null)
            {
                shard.Baseline!.AddTo(comparison.Baseline);
            }
        }
        // Each shard lists the confirmed causes its tickets named that the rules do not have: added up, in code order.
        if (shards.All(s => s.Unknown is not null))
        {
            run.MergedUnknown = [.. shards.SelectMany(s => s.Unknown!).GroupBy(u => u.Cause, StringComparer.Ordinal)
                .Select(g => new UnknownCause(g.Key, g.Sum(u => u.Support), g.First().Meant)).OrderBy(u => u.Cause, StringComparer.Ordinal)];
        }
        foreach (var line in InLineOrder(shards.Select(s => s.MalformedLines)).Take(ReplayTally.MalformedKept))
        {
            run.AddMalformed(line.GetProperty("line").GetInt64(), line.GetProperty("error").GetString()!);
        }
        // Every malformed line is counted, also those past the ones listed.
        run.MalformedCount = shards.Sum(s => s.Malformed);
        foreach (var disagreement in InLineOrder(shards.Select(s => s.Disagreements)))
        {
            tally.AppendDisagreement(disagreement.GetRawText());
        }
        if (comparison is not null)
        {
            foreach (var change in InLineOrder(shards.Select(s => s.Changes)))
            {
                comparison.AppendChange(change.GetRawText(), change.GetProperty("changed").EnumerateArray().Select(p => p.GetString()!));
            }
        }
        return run;
    }

    /// <summary>The items of several sequences, each already in line order, interleaved by their <c>line</c>.</summary>
    private static IEnumerable<JsonElement> InLineOrder(IEnumerable<IEnumerable<JsonElement>> sequences)
    {
        var queue = new PriorityQueue<IEnumerator<JsonElement>, long>();
        foreach (var sequence in sequences)
        {
            var items = sequence.GetEnumerator();
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
            else
            {
                items.Dispose();
            }
        }
    }
}
