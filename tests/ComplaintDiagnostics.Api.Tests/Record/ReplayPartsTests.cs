using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary><c>replay --from-store</c> reads the record in parts side by side: the parts together are the whole record,
/// each complaint once and in order, however many parts are asked for (more than there are decisions too).</summary>
public sealed class ReplayPartsTests : SqliteFileTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1_000)]
    public async Task ThePartsTogetherAreTheWholeRecord(int parts)
    {
        using var store = await StoreAsync("d");
        var random = new Random(4);
        var decisions = Enumerable.Range(0, 2_000).Select(i =>
        {
            var at = Now - TimeSpan.FromMinutes(2_000 - i);
            return new DecisionRecord(DecisionId.New(at), i % 10 == 0 ? DecisionKind.FollowUp : DecisionKind.Diagnose, DecisionMode.Live, at,
                $"T-{random.Next(1_500)}", "v1", null, "Voice", "R1", "X", "diagnosed", "voice", null, null, null, "{\"complaintType\":\"voice\"}", "{}");
        }).ToList();
        await store.WriteAsync(decisions, default);
        await store.RecordOutcomesAsync([.. decisions.Select(d => d.TicketId!).Distinct().Where((_, i) => i % 3 != 0)
            .Select(t => new OutcomeWrite(t, "NETWORK_ALARM", null, "e1"))], Now, default);
        var since = Now - TimeSpan.FromMinutes(500); // Fewer decisions than the most parts; the parts keep to it as the whole does.

        var whole = await Ids(store.ReplayAsync(since, null, default));
        var split = await store.SplitAsync(since, parts, default);
        var together = new List<string>();
        foreach (var part in split)
        {
            together.AddRange(await Ids(store.ReplayAsync(since, part, default)));
        }

        Assert.Equal(parts, split.Count);
        Assert.True(whole.Count > 100, $"{whole.Count} replayed");
        Assert.Equal(whole, together);
    }

    private static async Task<List<string>> Ids(IAsyncEnumerable<ReplayRow> rows)
    {
        var ids = new List<string>();
        await foreach (var row in rows)
        {
            ids.Add(row.DecisionId);
        }
        return ids;
    }
}
