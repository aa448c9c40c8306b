using System.Diagnostics;
using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// SIGTERM under load, to the service as its own process on a real port, with clients that behave like a load
/// balancer (a probe polls /readyz every 100 ms; once it sees 503 the instance gets no new requests): /readyz answers
/// 503 at once, requests keep being answered while it drains, no request in flight fails, and the process exits 0
/// well within its grace period. (A client that ignores readiness can meet Kestrel closing a connection it had just
/// accepted when the drain ends; that is what the balancer's retries and the drain period are for.)
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermUnderLoadLosesNoRequestInFlight()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Rules__Path"] = RepoPaths.Rules,
            ["Shutdown__DrainSeconds"] = "2",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var port = service.Port;
        await service.WaitForAsync("/readyz");
        using var probe = service.CreateClient();
        var answered = 0;
        var answeredAfterSigterm = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var sigterm = new TaskCompletionSource();
        var removed = false;
        var balancer = Task.Run(async () =>
        {
            while (!Volatile.Read(ref removed))
            {
                await Task.Delay(100);
                try
                {
                    using var ready = await probe.GetAsync(new Uri("/readyz", UriKind.Relative));
                    Volatile.Write(ref removed, sigterm.Task.IsCompleted && !ready.IsSuccessStatusCode);
                }
                catch (HttpRequestException)
                {
                    Volatile.Write(ref removed, sigterm.Task.IsCompleted);
                }
            }
        });
        async Task Client()
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var stopped = Stopwatch.StartNew();
            while (!Volatile.Read(ref removed) && stopped.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    using var response = await client.PostJsonAsync("/api/v1/diagnose", Complaint.Data());
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{(int)response.StatusCode}");
                    }
                    Interlocked.Increment(ref answered);
                    if (sigterm.Task.IsCompleted)
                    {
                        Interlocked.Increment(ref answeredAfterSigterm);
                    }
                }
                catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    // The connection could not be made (the listener has closed, or dropped a connection it had not yet
                    // accepted): the request never reached the service, so it was not in flight; a balancer retries it.
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures.Add(ex.GetType().Name + ": " + ex.Message + " / " + ex.InnerException?.Message);
                    return;
                }
            }
        }
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(Client)).ToList();
        await Task.Delay(500);
        await service.SigtermAsync();
        sigterm.SetResult();
        await Task.Delay(200);
        HttpStatusCode? ready = null;
        try
        {
            ready = (await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode;
        }
        catch (HttpRequestException)
        {
        }
        await Task.WhenAll(clients);
        await balancer;
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.True(answeredAfterSigterm > 0, "requests were answered while draining");
        Assert.True(answered > answeredAfterSigterm);
        Assert.Equal(0, service.ExitCode);
    }
}
