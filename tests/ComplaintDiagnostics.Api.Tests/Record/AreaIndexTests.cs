using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// The embedded store's area look-up from memory answers what its SQL answers, on a random record of hot spots, places
/// without coordinates, other modes and kinds, repeated tickets, confirmed causes and erasures: after the window is read,
/// and as the store's later writes (a batch written twice among them), outcomes and erasures reach it.
/// </summary>
public sealed class AreaIndexTests : SqliteFileTests
{
    private static readonly string[] Places = ["TOWER B LOBBY", "METRO EXIT C", "MALL NORTH GATE", "VILLAGE SCHOOL"];
    private static readonly string[] Types = ["voice", "coverage", "data"];
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MemoryAnswersWhatSqlAnswers(int seed)
    {
        var random = new Random(seed);
        using var store = await StoreAsync($"d{seed}");
        var written = Decisions(random, 2_500, Now - TimeSpan.FromDays(45), Now - TimeSpan.FromDays(10));
        await store.WriteAsync(written, default);
        await store.RecordOutcomesAsync(Outcomes(random, written), Now - TimeSpan.FromDays(9), default);

        await store.LoadAreaAsync(Now - TimeSpan.FromDays(40));
        await CompareAsync(store, random, 300, fromDaysAgo: 38, toDaysAgo: 20);

        // What the store writes afterwards reaches memory as it is written: decisions (one batch twice, as the spool may
        // write it again), later outcomes replacing earlier ones, an erased ticket.
        var later = Decisions(random, 1_500, Now - TimeSpan.FromDays(10), Now);
        foreach (var batch in later.Chunk(400))
        {
            await store.WriteAsync(batch, default);
        }
        await store.WriteAsync(later[..400], default);
        await store.RecordOutcomesAsync(Outcomes(random, [.. written, .. later]), Now, default);
        foreach (var ticket in written.Concat(later).Select(d => d.TicketId).OfType<string>().Distinct().Take(40))
        {
            await store.EraseTicketAsync(ticket, Now, default);
        }
        await CompareAsync(store, random, 300, fromDaysAgo: 20, toDaysAgo: 0);
    }

    [Fact]
    public async Task AQueryReachingBehindTheWindowIsAnsweredInSqlWhileAWiderWindowIsRead()
    {
        using var store = await StoreAsync("w");
        var random = new Random(9);
        await store.WriteAsync(Decisions(random, 500, Now - TimeSpan.FromDays(60), Now), default);
        await store.LoadAreaAsync(Now - TimeSpan.FromDays(10));
        var query = Query(random, Now - TimeSpan.FromDays(30));
        Assert.Null(store.NearInMemory(query));
        Assert.Equal(Ids(await store.NearInSqlAsync(query, default)), Ids(await store.NearAsync(query, default)));

        await store.LoadAreaAsync(Now - TimeSpan.FromDays(31));
        Assert.Equal(Ids(await store.NearInSqlAsync(query, default)), Ids(store.NearInMemory(query)!));

        // What the retention purge deletes, memory forgets too (decisions, and causes received before it).
        await store.RecordOutcomesAsync([.. Enumerable.Range(0, 300).Select(t => new OutcomeWrite($"T-{t}", "NETWORK_ALARM", null, "p"))],
            Now - TimeSpan.FromDays(25), default);
        await store.PurgeAsync(Now - TimeSpan.FromDays(20), default);
        foreach (var since in Enumerable.Range(0, 4).Select(k => Now - TimeSpan.FromDays(30 - 4 * k)))
        {
            var after = Query(random, since);
            Assert.Equal(Ids(await store.NearInSqlAsync(after, default)), Ids(store.NearInMemory(after)!));
        }
    }

    [Fact]
    public async Task WhatIsWrittenWhileTheWindowIsReadIsNotLost()
    {
        using var store = await StoreAsync("l");
        var random = new Random(11);
        await store.WriteAsync(Decisions(random, 20_000, Now - TimeSpan.FromDays(30), Now - TimeSpan.FromDays(1)), default);
        var loading = store.LoadAreaAsync(Now - TimeSpan.FromDays(31));
        var during = Decisions(random, 600, Now - TimeSpan.FromDays(1), Now);
        foreach (var batch in during.Chunk(50))
        {
            await store.WriteAsync(batch, default); // Never held up by the read: its transaction is deferred.
        }
        await store.RecordOutcomesAsync(Outcomes(random, during), Now, default);
        await loading;
        for (var i = 0; i < 100; i++)
        {
            var query = Query(random, Now - TimeSpan.FromDays(2));
            Assert.Equal(Ids(await store.NearInSqlAsync(query, default)), Ids(store.NearInMemory(query)!));
        }
    }

    internal static async Task CompareAsync(SqlDecisionStore store, Random random, int queries, int fromDaysAgo, int toDaysAgo)
    {
        var found = 0;
        // In time order, as a service's clock moves: memory lets go of what falls behind the queries as they go.
        var starts = Enumerable.Range(0, queries)
            .Select(_ => Now - TimeSpan.FromDays(toDaysAgo + (fromDaysAgo - toDaysAgo) * random.NextDouble())).Order().ToList();
        foreach (var since in starts)
        {
            var query = Query(random, since);
            var sql = await store.NearInSqlAsync(query, default);
            var memory = store.NearInMemory(query);
            Assert.NotNull(memory);
            Assert.Equal(Ids(sql), Ids(memory));
            Assert.Equal(sql.Select(n => n.ConfirmedCause), memory.Select(n => n.ConfirmedCause));
            found += sql.Count;
        }
        Assert.True(found > queries, $"the random record should make most queries find something; {found} found in {queries}");
    }

    internal static IEnumerable<string> Ids(IReadOnlyList<AreaNeighbour> neighbours) => neighbours.Select(n => n.DecisionId);

    internal static AreaQuery Query(Random random, DateTimeOffset since)
    {
        var located = random.NextDouble() < 0.7;
        var (lat, lon) = Point(random);
        string[] unresolvedAs = random.NextDouble() < 0.5 ? ["KNOWN_COVERAGE_ISSUE"] : [];
        return new AreaQuery(
            located ? AreaGrid.CellsAround(lat, lon, 500) : [], located ? AreaGrid.Box(lat, lon, 500) : null,
            random.NextDouble() < 0.6 ? Places[random.Next(Places.Length)] : null, ["voice", "coverage"], unresolvedAs, since,
            random.NextDouble() < 0.5 ? $"T-{random.Next(300)}" : null, Limit: 24);
    }

    /// <summary>Three hot spots a few hundred metres wide in one district, so cells and boxes hold many.</summary>
    private static (double, double) Point(Random random)
    {
        var spot = random.Next(3);
        return (39.90 + spot * 0.004 + random.NextDouble() * 0.006, 116.40 + spot * 0.005 + random.NextDouble() * 0.008);
    }

    /// <summary>Decisions at distinct milliseconds (the SQL's order among equal times is its own) between two times.</summary>
    internal static DecisionRecord[] Decisions(Random random, int count, DateTimeOffset from, DateTimeOffset to)
    {
        var step = (to - from).TotalMilliseconds / count;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var at = from + TimeSpan.FromMilliseconds(Math.Floor(i * step));
            var located = random.NextDouble() < 0.75;
            var (lat, lon) = Point(random);
            var mode = random.NextDouble() < 0.9 ? DecisionMode.Live : DecisionMode.Shadow;
            var kind = random.NextDouble() < 0.9 ? DecisionKind.Diagnose : DecisionKind.FollowUp;
            return new DecisionRecord(DecisionId.New(at), kind, mode, at, random.NextDouble() < 0.95 ? $"T-{random.Next(300)}" : null, "v1", null,
                "Voice", "R1", "X", "diagnosed", Types[random.Next(Types.Length)], located ? lat : null, located ? lon : null,
                random.NextDouble() < 0.6 ? Places[random.Next(Places.Length)] : null, "{}", "{}");
        })];
    }

    internal static OutcomeWrite[] Outcomes(Random random, IEnumerable<DecisionRecord> decisions) =>
        [.. decisions.Select(d => d.TicketId).OfType<string>().Distinct().Where(_ => random.NextDouble() < 0.5)
            .Select(t => new OutcomeWrite(t, random.NextDouble() < 0.3 ? "KNOWN_COVERAGE_ISSUE" : "NETWORK_ALARM", null, $"e-{random.Next()}"))];
}
