using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Decisions.Recording;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// One process per spool folder: a second service pointed at the same <c>Decisions:SpoolPath</c> would append to the same
/// segments and drain (and delete) the first one's. The spool holds the operating system's lock on its folder; a service
/// that finds it held answers as ever, counts what needed the spool as lost (never silently) and takes the spool once it
/// is free.
/// </summary>
public sealed class SharedSpoolTests() : StoreTests(new SqliteStore())
{
    [Fact]
    public void ASecondSpoolOnTheSameFolderIsRefusedWithTheFolderNamed()
    {
        var folder = Directory.CreateTempSubdirectory("cd-spool-").FullName;
        try
        {
            using (var first = new DecisionSpool(folder, 1 << 20))
            {
                var refused = Assert.Throws<IOException>(() => new DecisionSpool(folder, 1 << 20));
                Assert.Contains(folder, refused.Message, StringComparison.Ordinal);
                Assert.Contains("Decisions:SpoolPath", refused.Message, StringComparison.Ordinal);
            }
            using var again = new DecisionSpool(folder, 1 << 20);
            Assert.True(again.IsEmpty); // The lock file is not a segment.
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AServiceWhoseSpoolAnotherProcessHoldsCountsTheLossAndTakesTheSpoolOnceFree()
    {
        var store = await NewStoreAsync();
        await using var service = await ServiceAsync(store);
        using var client = service.CreateClient();
        await client.DecisionStoreReadyAsync();
        await Engine.BreakAsync();
        var held = new DecisionSpool(store["Decisions:SpoolPath"], 1 << 20);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await client.PostJsonAsync("/api/v1/diagnose", Complaint($"S-{i}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            await HttpClientExtensions.Eventually(async () => Decisions(await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lost").GetInt64() >= 5,
                Within, "the decisions the held spool could not take counted as lost");
        }
        finally
        {
            held.Dispose();
        }
        var lost = Decisions(await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lost").GetInt64();
        using (var response = await client.PostJsonAsync("/api/v1/diagnose", Complaint("S-after")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await HttpClientExtensions.Eventually(async () => Decisions(await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("spoolBytes").GetInt64() > 0,
            Within, "the next decision waits in the spool, now free");
        Assert.Equal(lost, Decisions(await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lost").GetInt64());
    }

    private static JsonElement Decisions(JsonElement status) => status.GetProperty("decisions");
}
