using System.Text.RegularExpressions;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Before /readyz reports ready, the service sends its example complaints through its own socket
/// until the JIT has gone quiet, so the first front desk does not pay for compilation.</summary>
[Collection(ProcessMeters.Name)]
public sealed partial class WarmupTests
{
    [Fact]
    public async Task ReadyOnlyAfterRoundsOfExampleComplaintsThroughItsOwnSocket()
    {
        var (factory, client) = await ReadyOnItsOwnSocketAsync("Diagnose:WarmupLimitMilliseconds", "2000");
        using var _ = factory;
        using var __ = client;

        var warmed = Assert.Single(factory.Logs.Lines, l => l.Contains("HTTP path warmed in", StringComparison.Ordinal));
        var rounds = int.Parse(RoundsLogged().Match(warmed).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rounds, 1, 100);
        // Hundreds of requests went through the diagnose endpoint; only the last one per example is audited
        // and counted (so that those paths are warm too).
        await AssertOneRecordedDiagnosisPerExampleAsync(factory, client);
        // Readiness polls write no error lines: one line per change of state, however often they come.
        for (var i = 0; i < 20; i++)
        {
            using var again = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        }
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("HealthChecks", StringComparison.Ordinal));
        Assert.Single(factory.Logs.Lines, l => l.Contains("Readiness: ready", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterReadyTheRoundsGoOnUnauditedAndUncountedUntilTheCompilerIsQuiet()
    {
        var (factory, client) = await ReadyOnItsOwnSocketAsync("Diagnose:WarmupSettleMilliseconds", "5000");
        using var _ = factory;
        using var __ = client;

        // The test host's runtime keeps the default tiering (the Api's knobs are in its own runtimeconfig), so the
        // compiler may or may not go quiet within the 5 s: either way the rounds end and say how they ended.
        var settled = await factory.Logs.WaitForAsync(l => l.Contains("HTTP path settled after ready", StringComparison.Ordinal), "the rounds after ready");
        var rounds = int.Parse(SettleRoundsLogged().Match(settled).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rounds, 1, 1000);
        // Those rounds were real requests through the socket, yet neither audited nor counted: the log and
        // /metrics still show one warm-up diagnosis per example, as at ready.
        await AssertOneRecordedDiagnosisPerExampleAsync(factory, client);
    }

    [Fact]
    public async Task StoppingEndsTheRoundsAfterReadyWithoutAWarning()
    {
        var (factory, client) = await ReadyOnItsOwnSocketAsync("Diagnose:WarmupSettleMilliseconds", "120000");
        client.Dispose();
        var logs = factory.Logs;

        // Well before the 120 s the rounds may go on for, and before the host's own 30 s stop timeout: stopping cancels them.
        var stopping = Task.Run(factory.Dispose);
        Assert.Same(stopping, await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20))));
        await stopping;

        Assert.DoesNotContain(logs.Lines, l => l.Contains("HTTP warm-up after ready stopped", StringComparison.Ordinal));
    }

    /// <summary>The service on a real loopback port (the warm-up needs a socket), once /readyz says ready.</summary>
    private static async Task<(ServiceFactory Factory, HttpClient Client)> ReadyOnItsOwnSocketAsync(string setting, string value)
    {
        var port = Loopback.FreePort();
        var factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string> { [setting] = value });
        factory.UseKestrel(port);
        factory.StartServer();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await HttpClientExtensions.Eventually(
            async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "ready");
        return (factory, client);
    }

    private static async Task AssertOneRecordedDiagnosisPerExampleAsync(ServiceFactory factory, HttpClient client)
    {
        var examples = OpenApi.DiagnoseExamples.All.Count;
        Assert.Equal(examples, factory.Logs.Lines.Count(l => l.Contains("Diagnosed ticket warm-up", StringComparison.Ordinal)));
        var metrics = await client.ScrapeAsync();
        Assert.True(examples == metrics.Sum("complaintdiagnostics_diagnoses_total"), metrics.Text);
    }

    [Fact]
    public async Task ARequestClaimingToBeTheWarmupIsStillAudited()
    {
        using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/diagnose", UriKind.Relative))
        {
            Content = new StringContent(Complaint.Data("ticketId=\"claims-warm-up\""), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Warmup", "0123456789ABCDEF0123456789ABCDEF");

        using var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        await factory.Logs.WaitForAsync(l => l.Contains("Diagnosed ticket claims-warm-up", StringComparison.Ordinal), "the audit line");
    }

    [GeneratedRegex(@"warmed in (\d+) round")]
    private static partial Regex RoundsLogged();

    [GeneratedRegex(@"after ready: (\d+) more round")]
    private static partial Regex SettleRoundsLogged();
}

/// <summary>The warm-up's limit bounds how long /readyz is held back: another round starts only if one as long as the
/// last still ends within it.</summary>
public sealed class WarmupRoundTests
{
    [Theory]
    [InlineData(380, 380, 400, 0, false)] // the default limit: one round, not a second that would end at 760 ms
    [InlineData(380, 380, 800, 0, true)]
    [InlineData(760, 380, 800, 0, false)]
    [InlineData(380, 380, 800, 2, false)] // two quiet rounds in a row: warm
    [InlineData(380, 380, 0, 0, false)] // 0: one pass
    [InlineData(100, 100, 3000, 1, true)]
    public void AnotherRoundOnlyIfItEndsWithinTheLimit(int elapsedMs, int lastRoundMs, int limitMs, int quietRounds, bool another) =>
        Assert.Equal(another, ComplaintDiagnostics.Api.Hosting.HttpWarmup.AnotherRound(
            TimeSpan.FromMilliseconds(elapsedMs), TimeSpan.FromMilliseconds(lastRoundMs), TimeSpan.FromMilliseconds(limitMs), quietRounds));
}

/// <summary>The service's runtime counts calls soon after start-up work settles and promotes after a few, so that the
/// warm-up's requests reach optimized code before /readyz says ready (the project file; docs/performance.md).</summary>
/// <summary>After ready, rounds go on until four in a row leave the JIT quiet, or until the limit.</summary>
public sealed class SettleRoundTests
{
    [Theory]
    [InlineData(0, 10_000, 0, true)]
    [InlineData(3_000, 10_000, 3, true)]
    [InlineData(3_000, 10_000, 4, false)] // four quiet rounds in a row: settled
    [InlineData(10_000, 10_000, 0, false)] // the limit: real traffic keeps the compiler busy, so it may never be quiet
    [InlineData(0, 0, 0, false)] // 0: none
    public void AnotherRoundUntilQuietOrTheLimit(int elapsedMs, int limitMs, int quietRounds, bool another) =>
        Assert.Equal(another, ComplaintDiagnostics.Api.Hosting.HttpWarmup.AnotherSettleRound(
            TimeSpan.FromMilliseconds(elapsedMs), TimeSpan.FromMilliseconds(limitMs), quietRounds));
}

public sealed class ServiceRuntimeConfigTests
{
    [Fact]
    public void TieringCountsCallsSoonAndPromotesAfterAFew()
    {
        Assert.Equal(10, RuntimeConfig.Knob("ComplaintDiagnostics.Api", "System.Runtime.TieredCompilation.CallCountingDelayMs"));
        Assert.Equal(4, RuntimeConfig.Knob("ComplaintDiagnostics.Api", "System.Runtime.TieredCompilation.CallCountThreshold"));
    }
}
