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
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnEventIsClaimedOnceAndItsWriteBackIsTakenByOne()
    {
        await using var service = await ServiceAsync();
        using var client = service.CreateClient();
        await client.DecisionStoreReadyAsync();
        var store = service.Services.GetRequiredService<IDecisionStore>();

        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At), Lease, default)).Claimed);
        // While it is being handled, a repeat sees it unfinished; once its lease is over, a repeat takes it over.
        var (during, unfinished) = await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At.AddSeconds(5)), Lease, default);
        Assert.False(during);
        Assert.Null(unfinished!.KnownTicket);
        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At.AddMinutes(2)), Lease, default)).Claimed);
        await store.CompleteEventAsync("ev-1", "01M8FTN2M0AAAAAAAAAAAAAAAA", knownTicket: true, At.AddMinutes(2).AddSeconds(1), default);
        var (claimed, earlier) = await store.ClaimEventAsync(new TicketEvent("ev-1", "troubleTicketCreateEvent", "T-1", At.AddMinutes(10)), Lease, default);
        Assert.False(claimed);
        Assert.Equal(("01M8FTN2M0AAAAAAAAAAAAAAAA", true), (earlier!.DecisionId, earlier.KnownTicket!.Value));

        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-2", "troubleTicketResolvedEvent", "T-9", At), Lease, default)).Claimed);
        await store.ReleaseEventAsync("ev-2", default);
        Assert.True((await store.ClaimEventAsync(new TicketEvent("ev-2", "troubleTicketResolvedEvent", "T-9", At), Lease, default)).Claimed);
        await store.CompleteEventAsync("ev-2", null, knownTicket: false, null, default);
        Assert.Equal(["ev-2"], (await store.ListEventsAsync(10, unknownOnly: true, default)).Select(e => e.EventId));

        Assert.Empty(await store.DueWriteBacksAsync(At.AddMinutes(2), 10, default));
        var due = Assert.Single(await store.DueWriteBacksAsync(At.AddMinutes(2).AddSeconds(1), 10, default));
        Assert.Equal(("T-1", "01M8FTN2M0AAAAAAAAAAAAAAAA", 0), (due.TicketId, due.DecisionId, due.Attempts));
        Assert.True(await store.TakeWriteBackAsync(due, At.AddMinutes(5), default));
        Assert.False(await store.TakeWriteBackAsync(due, At.AddMinutes(5), default)); // Another replica read it too: it is taken.
        Assert.Empty(await store.DueWriteBacksAsync(At.AddMinutes(3), 10, default));
        await store.FinishWriteBackAsync("ev-1", "dead", 3, null, "the ticket system answered 503", default);

        var listed = (await store.ListEventsAsync(10, unknownOnly: false, default)).Single(e => e.EventId == "ev-1");
        Assert.Equal(new WriteBackState("dead", 3, "the ticket system answered 503"), listed.WriteBack);
        Assert.Equal(1, (await store.WriteBackCountsAsync(default))["dead"]);

        // Erasing the ticket erases its events.
        await store.EraseTicketAsync("T-1", At, default);
        Assert.DoesNotContain(await store.ListEventsAsync(10, unknownOnly: false, default), e => e.TicketId == "T-1");
    }
}

public sealed class SqliteTicketEventStoreTests() : TicketEventStoreTests(new SqliteStore());

public sealed class PostgresTicketEventStoreTests(PostgresCluster cluster) : TicketEventStoreTests(new PostgresStore(cluster)), IClassFixture<PostgresCluster>;
