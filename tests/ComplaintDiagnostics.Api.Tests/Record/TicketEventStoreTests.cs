using ComplaintDiagnostics.Decisions.Storage;
using ComplaintDiagnostics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// The TMF621 feed's events in the decision store, on SQLite and on PostgreSQL: an event id is claimed once (the second
/// claim sees what the first recorded), a claim can be let go, the write-back queue hands a due entry to one taker, and
/// each state is kept and counted.
/// </summary>
public abstract class TicketEventStoreTests(IStoreEngine engine) : StoreTests(engine)
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnEventIsClaimedOnceAndItsWriteBackIsTakenByOne()
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        await HttpClientExtensions.Eventually(async () =>
            (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("storeReachable").GetBoolean(), Within, "the store migrated");
        var store = service.Services.GetRequiredService<IDecisionStore>();

        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At), default)).Claimed);
        await store.CompleteEventAsync("ev-1", "01M8FTN2M0AAAAAAAAAAAAAAAA", knownTicket: true, default);
        var (claimed, earlier) = await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At.AddMinutes(1)), default);
        Assert.False(claimed);
        Assert.Equal(("01M8FTN2M0AAAAAAAAAAAAAAAA", true), (earlier!.DecisionId, earlier.KnownTicket!.Value));

        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-2", "troubleTicketResolvedEvent", "T-9", At), default)).Claimed);
        await store.ReleaseEventAsync("ev-2", default);
        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-2", "troubleTicketResolvedEvent", "T-9", At), default)).Claimed);
        await store.CompleteEventAsync("ev-2", null, knownTicket: false, default);
        Assert.Equal(["ev-2"], (await store.ListEventsAsync(10, unknownOnly: true, default)).Select(e => e.EventId));

        await store.ScheduleWriteBackAsync("ev-1", At.AddSeconds(1), default);
        Assert.Empty(await store.DueWriteBacksAsync(At, 10, default));
        var due = Assert.Single(await store.DueWriteBacksAsync(At.AddSeconds(1), 10, default));
        Assert.Equal(("T-1", "01M8FTN2M0AAAAAAAAAAAAAAAA", 0), (due.TicketId, due.DecisionId, due.Attempts));
        Assert.True(await store.TakeWriteBackAsync(due, At.AddMinutes(2), default));
        Assert.False(await store.TakeWriteBackAsync(due, At.AddMinutes(2), default)); // Another replica read it too: it is taken.
        Assert.Empty(await store.DueWriteBacksAsync(At.AddMinutes(1), 10, default));
        await store.FinishWriteBackAsync("ev-1", "dead", 3, null, "the ticket system answered 503", default);

        var listed = (await store.ListEventsAsync(10, unknownOnly: false, default)).Single(e => e.EventId == "ev-1");
        Assert.Equal(new WriteBackState("dead", 3, "the ticket system answered 503"), listed.WriteBack);
        Assert.Equal(1, (await store.WriteBackCountsAsync(default))["dead"]);

        // Erasing the ticket erases its events.
        await store.EraseTicketAsync("T-1", default);
        Assert.DoesNotContain(await store.ListEventsAsync(10, unknownOnly: false, default), e => e.TicketId == "T-1");
    }
}

public sealed class SqliteTicketEventStoreTests() : TicketEventStoreTests(new SqliteStore());

public sealed class PostgresTicketEventStoreTests(PostgresCluster cluster) : TicketEventStoreTests(new PostgresStore(cluster)), IClassFixture<PostgresCluster>;
