using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The audit line must never hold up a diagnosis: when whatever reads the service's standard output stalls
/// (a log shipper restarting, a full pipe), the console logger's queue fills and the shipped settings
/// (<c>Logging:Console:QueueFullMode = DropWrite</c>) drop lines instead of making requests wait for room.</summary>
public sealed class LogBackpressureTests
{
    [Fact]
    public async Task AStalledLogReaderDoesNotStallDiagnoses()
    {
        // Nobody reads standard output: the pipe holds 64 KB, about 400 audit lines, and then every write blocks.
        // A queue of 200 lines (the shipped 10,000 would take longer to fill) is full soon after.
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Rules__Path"] = RepoPaths.Rules,
            ["Logging__Console__MaxQueueLength"] = "200",
            ["Shutdown__DrainSeconds"] = "0",
        }, readOutput: false);
        await service.WaitForAsync("/readyz");

        using var client = service.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var answered = 0;
        // 3,000 audit lines, seven times what the pipe and the queue hold together. With the default (Wait) the
        // requests would hang here until the reader came back.
        await Parallel.ForEachAsync(Enumerable.Range(0, 3000), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token },
            async (i, cancellationToken) =>
            {
                using var body = new StringContent(Complaint.Data($"ticketId=\"BP-{i}\"; inArrears=true"), System.Text.Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/api/v1/diagnose", UriKind.Relative), body, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Interlocked.Increment(ref answered);
            });
        Assert.Equal(3000, answered);

        // The reader comes back: the service is still serving, and every audit line was either written or counted
        // as dropped (the console logger reports the count on standard error).
        var output = service.Output;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        await service.SigtermAsync();
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var written = System.Text.RegularExpressions.Regex.Count(await output, "Diagnosed ticket BP-");
        var dropped = System.Text.RegularExpressions.Regex.Matches(await service.Errors, @"(\d+) message\(s\) dropped")
            .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(dropped > 0, "some lines were dropped");
        Assert.InRange(written + dropped, 3000, 3010);
    }
}
