using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// Three replicas as an operator runs them (their own processes, release mode on one rules repository) behind HAProxy
/// configured from deploy/local's template: they start together (one of them makes release 1), an activation made through
/// the balancer reaches every replica, and so does the rollback, while requests keep flowing and none fails.
/// </summary>
public sealed class ReleaseConvergenceTests : IDisposable
{
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);
    private readonly List<ServiceProcess> _replicas = [];
    private Process? _haproxy;
    private string? _config;

    public void Dispose()
    {
        if (_haproxy is { HasExited: false })
        {
            _haproxy.Kill();
        }
        _haproxy?.Dispose();
        _replicas.ForEach(r => r.Dispose());
        if (_config is not null)
        {
            File.Delete(_config);
        }
        _repo.Dispose();
    }

    [Fact]
    public async Task AnActivationAndARollbackReachEveryReplicaBehindTheBalancerAndNoRequestFails()
    {
        Assert.True(File.Exists("/usr/sbin/haproxy"), "HAProxy is not installed (apt-get install haproxy; .ci/run installs it).");
        _repo.Commit("The shipped rules");
        var settings = ReleaseLifecycleTests.Settings(_repo.Root).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        settings["Rules__PollSeconds"] = "1";
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(ServiceProcess.Start(settings));
        }
        foreach (var replica in _replicas)
        {
            await replica.WaitForAsync("/readyz");
        }
        var balancer = StartBalancer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{balancer}") };
        await HttpClientExtensions.Eventually(async () =>
        {
            try
            {
                using var response = await Send(client);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // HAProxy not listening yet.
            }
        }, TimeSpan.FromSeconds(20), "the balancer routes");
        var first = await ReleasesAsync();
        Assert.Equal([1, 1, 1], first);

        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 6).Select(_ => LoadAsync(client, stop.Token)).ToList();

        var replies = File.ReadAllText(Path.Combine(_repo.Rules, "replies.json")).Replace("正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。", StringComparison.Ordinal);
        var id = (await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/proposals", ReleaseLifecycleTests.Alice,
            ReleaseLifecycleTests.Body("Outage reply", "replies.json", replies), HttpStatusCode.Created)).GetProperty("id").GetString();
        await ReleaseLifecycleTests.Json(client, HttpMethod.Post, $"/api/v1/proposals/{id}/approve", ReleaseLifecycleTests.Bob, "{}");
        await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/releases/2/activate", ReleaseLifecycleTests.Olga, """{"reason":"converge"}""");
        await HttpClientExtensions.Eventually(async () => (await ReleasesAsync()).All(r => r == 2), TimeSpan.FromSeconds(30), "every replica on release 2");
        await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/releases/1/activate", ReleaseLifecycleTests.Olga, """{"reason":"roll back"}""");
        await HttpClientExtensions.Eventually(async () => (await ReleasesAsync()).All(r => r == 1), TimeSpan.FromSeconds(30), "every replica back on release 1");

        await stop.CancelAsync();
        var results = await Task.WhenAll(load);
        Assert.True(results.Sum(r => r.Served) > 100, $"served {results.Sum(r => r.Served)}");
        Assert.Equal(0, results.Sum(r => r.Failed));
        // One release 1 for all three replicas that started on an empty lifecycle together.
        Assert.Single(_repo.Git("log", "--format=%s", "lifecycle").Split('\n'), l => l.StartsWith("release 1:", StringComparison.Ordinal));
    }

    private async Task<int[]> ReleasesAsync() => await Task.WhenAll(_replicas.Select(async replica =>
    {
        using var client = replica.CreateClient();
        var rules = await client.GetJsonAsync("/api/v1/rules");
        return rules.TryGetProperty("release", out var release) ? release.GetInt32() : 0;
    }));

    private static async Task<(int Served, int Failed)> LoadAsync(HttpClient client, CancellationToken stop)
    {
        int served = 0, failed = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await Send(client);
                _ = response.IsSuccessStatusCode ? served++ : failed++;
            }
            catch (HttpRequestException)
            {
                failed++;
            }
        }
        return (served, failed);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client) =>
        client.PostAsync(new Uri("/api/v1/diagnose", UriKind.Relative), new StringContent(Complaint.Voice(), Encoding.UTF8, "application/json"));

    /// <summary>HAProxy from deploy/local's template in front of the replicas; its port.</summary>
    private int StartBalancer()
    {
        var port = Loopback.FreePort();
        var servers = string.Concat(_replicas.Select((r, i) => $"    server r{i + 1} 127.0.0.1:{r.Port} check\n"));
        _config = Path.Combine(Path.GetTempPath(), $"cd-haproxy-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(_config, File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "local", "haproxy.cfg.template"))
            .Replace("@LB_PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@STATS_PORT@", Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@SERVERS@\n", servers, StringComparison.Ordinal));
        _haproxy = Process.Start(new ProcessStartInfo("/usr/sbin/haproxy", ["-f", _config, "-db"]) { RedirectStandardOutput = true, RedirectStandardError = true });
        return port;
    }
}
