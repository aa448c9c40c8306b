using ComplaintDiagnostics.Decisions.Storage;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// Replicas on one PostgreSQL record each answer the area look-up from memory: a replica's index takes what another
/// stores (decisions, outcomes replacing earlier ones, erasures) within seconds, and then answers what the SQL answers.
/// </summary>
public sealed class PostgresAreaIndexTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AReplicasMemoryTakesWhatAnotherStores()
    {
        var connection = await cluster.Server.NewDatabaseAsync();
        await using var replica = new PostgresDecisionStore(connection);
        await using var other = new PostgresDecisionStore(connection);
        await replica.MigrateAsync(default);
        var random = new Random(5);
        var early = AreaIndexTests.Decisions(random, 1_500, Now - TimeSpan.FromDays(40), Now - TimeSpan.FromDays(10));
        await other.WriteAsync(early, default);
        await other.RecordOutcomesAsync(AreaIndexTests.Outcomes(random, early), Now - TimeSpan.FromDays(9), default);

        await replica.LoadAreaAsync(Now - TimeSpan.FromDays(40));
        await AreaIndexTests.CompareAsync(replica, random, 100, fromDaysAgo: 38, toDaysAgo: 20);

        var later = AreaIndexTests.Decisions(random, 1_000, Now - TimeSpan.FromDays(10), Now);
        foreach (var batch in later.Chunk(250))
        {
            await other.WriteAsync(batch, default);
        }
        await other.RecordOutcomesAsync(AreaIndexTests.Outcomes(random, [.. early, .. later]), Now, default);
        var erased = later.Select(d => d.TicketId).OfType<string>().Distinct().Take(20).ToList();
        foreach (var ticket in erased)
        {
            await other.EraseTicketAsync(ticket, Now - TimeSpan.FromHours(2), default);
        }
        // The same ticket ids diagnosed after their erasure are new complaints: kept by the store, and in memory.
        var again = AreaIndexTests.Decisions(random, erased.Count, Now - TimeSpan.FromHours(1), Now)
            .Select((d, i) => d with { TicketId = erased[i], Mode = Decisions.DecisionMode.Live, Kind = Decisions.DecisionKind.Diagnose }).ToArray();
        await other.WriteAsync(again, default);
        var probes = Enumerable.Range(0, 50).Select(_ => AreaIndexTests.Query(random, Now - TimeSpan.FromDays(15))).ToList();
        await HttpClientExtensions.Eventually(async () =>
        {
            foreach (var query in probes)
            {
                if (!AreaIndexTests.Ids(await replica.NearInSqlAsync(query, default)).SequenceEqual(AreaIndexTests.Ids(replica.NearInMemory(query) ?? [])))
                {
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(15), "the replica's memory has what the other stored");
        await AreaIndexTests.CompareAsync(replica, random, 200, fromDaysAgo: 15, toDaysAgo: 0);
    }
}
