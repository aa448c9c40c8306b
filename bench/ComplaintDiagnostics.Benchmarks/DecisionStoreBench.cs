using System.Diagnostics;
using System.Globalization;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Recording;
using ComplaintDiagnostics.Decisions.Storage;
using ComplaintDiagnostics.Samples;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>
/// The decision store's figures (issue 32), by bench/decisions-store.sh:
/// <c>--store-write PROVIDER CONNECTION N</c>: N decisions written in batches as the recorder writes them (decisions/s);
/// <c>--spool-drain PROVIDER CONNECTION N</c>: N decisions spooled to disk, then drained into the store (decisions/s);
/// <c>--populate PROVIDER CONNECTION N</c>: N recorded decisions over 180 days (voice and coverage ones located in one
/// city) with a confirmed cause for most, for replay --from-store and the look-up;
/// <c>--lookup PROVIDER CONNECTION QUERIES</c>: the area look-up's query at random places of that city (p50, p99).
/// </summary>
internal static class DecisionStoreBench
{
    private const int Batch = 5_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static async Task<bool> RunAsync(string[] args)
    {
        if (args is not [var mode, var provider, var connection, var countText] || !mode.StartsWith("--", StringComparison.Ordinal)
            || mode is not ("--store-write" or "--spool-drain" or "--populate" or "--lookup"))
        {
            return false;
        }
        var count = int.Parse(countText, CultureInfo.InvariantCulture);
        var store = ServiceCollectionExtensions.Create(provider, connection);
        await store.MigrateAsync(CancellationToken.None);
        switch (mode)
        {
            case "--store-write":
                await WriteAsync(store, count, spool: null);
                break;
            case "--spool-drain":
                using (var spool = new DecisionSpool(Path.Combine(Path.GetTempPath(), $"cd-spool-bench-{Guid.NewGuid():N}"), 8L << 30))
                {
                    await WriteAsync(store, count, spool);
                    Directory.Delete(spool.Folder, recursive: true);
                }
                break;
            case "--populate":
                await PopulateAsync(store, count);
                break;
            default:
                await LookupAsync(store, count);
                break;
        }
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        return true;
    }

    private static async Task WriteAsync(IDecisionStore store, int count, DecisionSpool? spool)
    {
        var decisions = Decisions(count, days: 1).ToList();
        if (spool is not null)
        {
            foreach (var chunk in decisions.Chunk(Batch))
            {
                spool.TryAppend(chunk);
            }
            Console.WriteLine($"spooled {count:N0} decisions: {spool.Bytes / (1 << 20):N0} MB on disk");
        }
        var watch = Stopwatch.StartNew();
        if (spool is null)
        {
            foreach (var chunk in decisions.Chunk(Batch))
            {
                await store.WriteAsync(chunk, CancellationToken.None);
            }
        }
        else
        {
            // As the recorder drains it (DecisionRecorder.DrainSpoolAsync): the next segment parsed while one is written.
            while (await spool.DrainAsync(async chunk =>
            {
                await store.WriteAsync(chunk, CancellationToken.None);
                return true;
            }, segments: 8, Batch) > 0)
            {
            }
        }
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"RESULT {(spool is null ? "write" : "drain")} {count:N0} decisions in {seconds:0.00} s: {count / seconds:N0} decisions/s ({store.Provider})");
    }

    private static async Task PopulateAsync(IDecisionStore store, int count)
    {
        var watch = Stopwatch.StartNew();
        var written = 0;
        foreach (var chunk in Decisions(count, days: 180).Chunk(Batch))
        {
            await store.WriteAsync(chunk, CancellationToken.None);
            // Nine in ten tickets come back with the cause confirmed: the one answered, or now and then another.
            var random = new Random(written);
            var outcomes = chunk.Where(_ => random.NextDouble() < 0.9)
                .Select(d => new OutcomeWrite(d.TicketId!, random.NextDouble() < 0.95 ? d.Cause : "NETWORK_ALARM", d.RecordedAt.AddHours(4), "e1")).ToList();
            await store.RecordOutcomesAsync(outcomes, chunk[^1].RecordedAt, CancellationToken.None);
            written += chunk.Length;
        }
        Console.WriteLine($"RESULT populated {count:N0} decisions in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task LookupAsync(IDecisionStore store, int queries)
    {
        var random = new Random(42);
        var times = new List<double>(queries);
        if (store is SqlDecisionStore sql)
        {
            // The store answers from memory once it has read the window (the service reads it at the first look-up).
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            await sql.LoadAreaAsync(Now - TimeSpan.FromDays(32));
            Console.WriteLine($"RESULT look-up window read in {watch.Elapsed.TotalSeconds:0.00} s, "
                + $"{(GC.GetTotalMemory(forceFullCollection: true) - before) / (1 << 20):N0} MB held");
        }
        for (var i = 0; i < queries + 200; i++)
        {
            var (lat, lon) = (39.8 + random.NextDouble() * 0.2, 116.2 + random.NextDouble() * 0.4);
            var query = new AreaQuery(AreaGrid.CellsAround(lat, lon, 500), AreaGrid.Box(lat, lon, 500), "BUILDING 3", ["voice", "coverage"],
                ["KNOWN_COVERAGE_ISSUE"], Now - TimeSpan.FromDays(31), $"Q-{i}", 50);
            var started = Stopwatch.GetTimestamp();
            var found = await store.NearAsync(query, CancellationToken.None);
            if (i >= 200)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            GC.KeepAlive(found);
        }
        times.Sort();
        Console.WriteLine($"RESULT look-up over {queries:N0} queries ({store.Provider}): p50 {times[times.Count / 2]:0.000} ms, "
            + $"p99 {times[(int)(times.Count * 0.99)]:0.000} ms, max {times[^1]:0.000} ms");
    }

    /// <summary>Recorded decisions as the service makes them: the synthetic history's complaints (voice and coverage ones
    /// located in one city, 40 km by 20 km), cleaned as the record keeps them, spread over the last <paramref name="days"/>.</summary>
    private static IEnumerable<DecisionRecord> Decisions(int count, int days)
    {
        var random = new Random(7);
        var answer = "{\"status\":\"diagnosed\",\"cause\":{\"code\":\"X\"},\"rulesVersion\":\"bench\"}";
        var i = 0;
        while (true)
        {
            foreach (var ticket in SyntheticHistory.Generate(10_000, seed: i, wrongRate: 0.05))
            {
                if (i == count)
                {
                    yield break;
                }
                var request = ticket.Request;
                var located = request.ComplaintType is ComplaintType.Voice or ComplaintType.Coverage;
                var (lat, lon) = located ? (39.8 + random.NextDouble() * 0.2, 116.2 + random.NextDouble() * 0.4) : ((double?)null, (double?)null);
                request = request with
                {
                    TicketId = $"B-{i:D8}",
                    Location = located ? (request.Location ?? new Location()) with { Latitude = lat, Longitude = lon } : request.Location,
                };
                var at = Now - TimeSpan.FromSeconds((double)(count - i) / count * days * 86_400);
                yield return new DecisionRecord(DecisionId.New(at), DecisionKind.Diagnose, DecisionMode.Live, at, request.TicketId, "bench", null,
                    "Workflow", "R1", ticket.ReferenceCause, "diagnosed", ContractJson.WireName(request.ComplaintType!.Value), lat, lon,
                    AreaGrid.Place(request.Location?.Description), RecordedJson.Complaint(request), answer);
                i++;
            }
        }
    }
}
