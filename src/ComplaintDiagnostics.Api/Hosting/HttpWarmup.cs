using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using System.Runtime;
using System.Text.Json;
using ComplaintDiagnostics.Api.OpenApi;
using ComplaintDiagnostics.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Hosting;

/// <summary>
/// Sends the example complaints (one per type) through the service's own HTTP pipeline as soon as it listens,
/// and only then lets /readyz report ready, so that no front desk meets code being compiled for the first time.
/// The examples go round until two rounds, each with a quiet pause after it, compile next to nothing, or until
/// another round would end after <see cref="DiagnoseOptions.WarmupLimitMilliseconds"/> (400 ms by default: one
/// round). .NET then goes on recompiling hot code in the background for seconds (tiered compilation: quick or
/// ReadyToRun code, then instrumented, then optimized; the project file has the runtime count calls 10 ms after
/// start-up work settles and promote after 4). So after ready the rounds go on at a low rate, holding nothing back,
/// until the compiler is quiet or <see cref="DiagnoseOptions.WarmupSettleMilliseconds"/> has passed: without them
/// the optimized code waited for real requests, and a first request two seconds after ready took three times a
/// settled one (docs/performance.md, "Cold start"). The rules themselves are warmed when they load.
/// </summary>
/// <remarks>Timed by the system clock, not the injected <see cref="TimeProvider"/>: the JIT works in real time,
/// and the injected clock is the business clock that tests hold still.</remarks>
internal sealed partial class HttpWarmup(
    IServer server, IOptions<SecurityOptions> security, IOptions<DiagnoseOptions> limits, AuditLog audit, ILogger<HttpWarmup> logger)
    : IHostedLifecycleService, IDisposable
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    // Each example often enough per round to pass the runtime's call-count threshold twice over (the service's
    // runtimeconfig sets 4 and a 10 ms call-counting delay, see the project file; the runtime's own defaults are
    // 30 and 100 ms), and a pause in which the background compiler catches up with what the round promoted.
    private const int RequestsPerExample = 40;
    private static readonly TimeSpan QuietPause = TimeSpan.FromMilliseconds(250);

    // Other work (health probes, timers, the file watcher) keeps the JIT ticking over, and tiering promotes
    // methods in batches: the path is warm after two rounds in a row that each compile fewer methods than this
    // (the first round compiles about 1,400).
    private const int QuietCompiles = 32;

    // After ready: a round every 50 ms (a few requests per 50 ms, next to nothing beside real traffic) until this
    // many rounds in a row each compile fewer than SettledCompiles methods.
    private static readonly TimeSpan SettlePause = TimeSpan.FromMilliseconds(50);
    private const int SettledRounds = 4;
    private const int SettledCompiles = 4;

    /// <summary>Marks the warm-up's repeated requests, so that they are neither audited nor counted in the metrics.</summary>
    public const string Header = "X-Warmup";

    // Random per process and never sent anywhere else: a client cannot pass its requests off as warm-up.
    private readonly string _token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private volatile bool _done;

    private Task<List<byte[]>>? _bodies;

    private readonly CancellationTokenSource _stopping = new();
    private Task _settling = Task.CompletedTask;

    /// <summary>True once the warm-up requests have been answered (or there was nothing to warm).</summary>
    public bool Done => _done;

    /// <summary>What <paramref name="request"/> is to the warm-up: one of its own (recorded or not), or null.</summary>
    public WarmupFeature? Classify(HttpRequest request) =>
        request.Headers[Header] is not [{ } token] ? null
        : string.Equals(token, _token, StringComparison.Ordinal) ? WarmupFeature.Unrecorded
        : string.Equals(token, RecordedToken, StringComparison.Ordinal) ? WarmupFeature.Recorded
        : null;

    private string RecordedToken => _token + ";recorded";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        HttpClient? client = null;
        List<byte[]>? bodies = null;
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null)
            {
                return; // An in-memory test server: there is no socket to warm.
            }
            var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)).Uri;
            client = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
            if (security.Value.DiagnoseKeys.FirstOrDefault() is { } key)
            {
                client.DefaultRequestHeaders.Add(SecurityOptions.KeyHeader, key);
            }
            bodies = await (_bodies ?? Task.FromResult(Bodies()));
            var limit = TimeSpan.FromMilliseconds(limits.Value.WarmupLimitMilliseconds);
            var started = Clock.GetTimestamp();
            var rounds = 0;
            var quietRounds = 0;
            var round = TimeSpan.Zero;
            do
            {
                var roundStarted = Clock.GetTimestamp();
                var compiled = limit == TimeSpan.Zero ? 0L // one pass: the recorded requests below
                    : await RoundAsync(client, bodies, RequestsPerExample, QuietPause, cancellationToken);
                rounds++;
                quietRounds = compiled < QuietCompiles ? quietRounds + 1 : 0;
                round = Clock.GetElapsedTime(roundStarted);
            }
            while (AnotherRound(Clock.GetElapsedTime(started), round, limit, quietRounds));
            // Last, one recorded request per example, so that the audit line and the metrics have run before a
            // real request needs them (skipping them above left a first request at 3x a warm one): a handful
            // of 'warm-up' lines in the log and counts in /metrics, each a real diagnosis by the service.
            foreach (var body in bodies)
            {
                await PostAsync(client, body, recorded: true, cancellationToken);
            }
            // Their audit lines are in the log before the service says it is ready.
            audit.Flush();
            var took = Clock.GetElapsedTime(started);
            LogWarmedUp(rounds, (long)took.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            LogWarmupFailed(ex.Message);
            bodies = null;
        }
        finally
        {
            _done = true;
        }
        var settle = TimeSpan.FromMilliseconds(limits.Value.WarmupSettleMilliseconds);
        if (client is not null && bodies is not null && settle > TimeSpan.Zero)
        {
            _settling = Task.Run(() => SettleAsync(client, bodies, settle), CancellationToken.None);
        }
        else
        {
            client?.Dispose();
        }
    }

    /// <summary>The rounds after ready (see the class's summary); owns and disposes <paramref name="client"/>.</summary>
    private async Task SettleAsync(HttpClient client, List<byte[]> bodies, TimeSpan limit)
    {
        using var _ = client;
        var started = Clock.GetTimestamp();
        var rounds = 0;
        var quietRounds = 0;
        try
        {
            while (AnotherSettleRound(Clock.GetElapsedTime(started), limit, quietRounds))
            {
                var compiled = await RoundAsync(client, bodies, requestsPerExample: 1, SettlePause, _stopping.Token);
                rounds++;
                quietRounds = compiled < SettledCompiles ? quietRounds + 1 : 0;
            }
            var took = Clock.GetElapsedTime(started);
            LogSettled(rounds, (long)took.TotalMilliseconds, quietRounds >= SettledRounds ? "the compiler is quiet" : "the limit was reached");
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The service is stopping: nothing left to warm for.
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogSettleFailed(ex.Message);
        }
    }

    /// <summary>Whether to send another round after ready: the JIT has not been quiet for
    /// <see cref="SettledRounds"/> rounds in a row, and <paramref name="limit"/> has not passed.</summary>
    internal static bool AnotherSettleRound(TimeSpan elapsed, TimeSpan limit, int quietRounds) =>
        elapsed < limit && quietRounds < SettledRounds;

    /// <summary>Whether to send another round: the path is not yet quiet, and a round as long as the last one still ends
    /// within <paramref name="limit"/>, so that the limit bounds how long /readyz is held back (a round started just
    /// before the limit used to hold it for most of a round more).</summary>
    internal static bool AnotherRound(TimeSpan elapsed, TimeSpan lastRound, TimeSpan limit, int quietRounds) =>
        limit > TimeSpan.Zero && quietRounds < 2 && elapsed + lastRound <= limit;

    /// <summary>One round: <paramref name="requestsPerExample"/> unrecorded requests per example, then
    /// <paramref name="pause"/>; how many methods the JIT compiled meanwhile.</summary>
    private async Task<long> RoundAsync(
        HttpClient client, List<byte[]> bodies, int requestsPerExample, TimeSpan pause, CancellationToken cancellationToken)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        for (var i = 0; i < requestsPerExample; i++)
        {
            foreach (var body in bodies)
            {
                await PostAsync(client, body, recorded: false, cancellationToken);
            }
        }
        await Task.Delay(pause, Clock, cancellationToken);
        return JitInfo.GetCompiledMethodCount() - compiled;
    }

    private async Task PostAsync(HttpClient client, byte[] body, bool recorded, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/diagnose", UriKind.Relative))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add(Header, recorded ? RecordedToken : _token);
        using var response = await client.SendAsync(request, cancellationToken);
    }

    /// <summary>Serializes the examples while the rules load (the host starts this before any service's
    /// StartAsync): the serializer's first use costs a few hundred milliseconds of reflection, which on the
    /// warm-up's own path had held /readyz back by as much.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _bodies = Task.Run(Bodies, cancellationToken);
        return Task.CompletedTask;
    }

    private static List<byte[]> Bodies() => DiagnoseExamples.All
        .Select(e => JsonSerializer.SerializeToUtf8Bytes(e.Request with { TicketId = "warm-up" }, ContractJson.Options))
        .ToList();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _settling.WaitAsync(cancellationToken);

    public void Dispose() => _stopping.Dispose();

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP path warmed in {Rounds} round(s), {Milliseconds} ms")]
    private partial void LogWarmedUp(int rounds, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP warm-up did not complete ({Reason}); the first requests may be slower")]
    private partial void LogWarmupFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP path settled after ready: {Rounds} more round(s), {Milliseconds} ms; {Ending}")]
    private partial void LogSettled(int rounds, long milliseconds, string ending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP warm-up after ready stopped ({Reason}); requests may reach optimized code later")]
    private partial void LogSettleFailed(string reason);
}

/// <summary>Marks the warm-up's own requests (a request feature), so that the rate limiter and the audit know
/// them without depending on the warm-up: a client's request never carries it.</summary>
/// <param name="IsRecorded">False for the repeated requests, which are neither audited nor counted.</param>
internal sealed record WarmupFeature(bool IsRecorded)
{
    public static readonly WarmupFeature Recorded = new(true);
    public static readonly WarmupFeature Unrecorded = new(false);
}

internal static class WarmupRequests
{
    /// <summary>Sets <see cref="WarmupFeature"/> on the warm-up's requests.</summary>
    public static IApplicationBuilder UseWarmupMarker(this IApplicationBuilder app)
    {
        var warmup = app.ApplicationServices.GetRequiredService<HttpWarmup>();
        return app.Use((context, next) =>
        {
            if (warmup.Classify(context.Request) is { } feature)
            {
                context.Features.Set(feature);
            }
            return next(context);
        });
    }

    /// <summary>One of the warm-up's requests: it spends no client's rate limit.</summary>
    public static bool IsWarmup(this HttpContext context) => context.Features.Get<WarmupFeature>() is not null;

    /// <summary>One of the warm-up's repeated requests: neither audited nor counted.</summary>
    public static bool IsUnrecordedWarmup(this HttpContext context) => context.Features.Get<WarmupFeature>() is { IsRecorded: false };
}
