using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
using System.Collections.Concurrent;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Audit;

/// <summary>
/// The audit line of every diagnosis, written off the request's path. A request only queues the line's fields
/// (no formatting, no lock, no thread woken); one writer thread wakes on the first line after a quiet spell,
/// lets <see cref="Gather"/> pass so the lines of concurrent requests gather, and hands them all to the logger
/// in one go. Logging each line from the request thread had cost a third of diagnose throughput under load,
/// most of it in waking the console logger's thread once per line (docs/performance.md).
/// </summary>
/// <remarks>
/// The line is what the request would have logged: same logger category and event id, the latency measured when
/// the request finished, and the request's id in the line itself (a scope is shown only by a formatter with
/// <c>IncludeScopes</c>, which the shipped console formatters leave off); it reaches the log at most <see cref="Gather"/> later.
/// When <see cref="Capacity"/> lines are waiting (the logger itself is stalled), a request logs its line itself,
/// so the console logger's own policy decides again (<c>QueueFullMode</c>: drop and count, or wait). Lines still
/// queued are written when the host has stopped, and before the warm-up declares the service ready.
/// </remarks>
internal sealed partial class AuditLog : IHostedLifecycleService, IDisposable
{
    /// <summary>How long the writer lets lines gather after the first one: invisible to a reader of the log,
    /// hundreds of lines under load.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    /// <summary>Lines that may wait for the writer before requests log their own.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<Line> _lines = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _writing = new();
    private readonly ILogger<AuditedDiagnoser> _logger;
    private readonly Thread _writer;
    private int _queued;
    private int _awake;

    public AuditLog(ILogger<AuditedDiagnoser> logger)
    {
        _logger = logger;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Audit log writer" };
        _writer.Start();
    }

    /// <summary>Whether audit lines are logged at all (the category's level); checked before any work.</summary>
    public bool Enabled => _logger.IsEnabled(LogLevel.Information);

    /// <summary>Queues one diagnosis's line. <paramref name="ticketId"/> is the raw request value: it is cleaned
    /// and masked (<see cref="Privacy.ForLog"/>) by the writer, before anything is written.</summary>
    public void Diagnosed(string? requestId, string? ticketId, string rulesVersion, string cause, string rule, double latencyMs) =>
        Queue(new Line(requestId, ticketId, rulesVersion, cause, rule, latencyMs, EscalationLevel: null));

    /// <summary>Queues one follow-up's line: the cause, the escalation level and the escalation row that decided it.</summary>
    public void FollowedUp(string? requestId, string? ticketId, string rulesVersion, string cause, int level, string rule, double latencyMs) =>
        Queue(new Line(requestId, ticketId, rulesVersion, cause, rule, latencyMs, level));

    private void Queue(Line line)
    {
        if (Interlocked.Increment(ref _queued) > Capacity || _stop.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _queued);
            Write(line);
            return;
        }
        _lines.Enqueue(line);
        if (Interlocked.Exchange(ref _awake, 1) == 0)
        {
            _wake.Set();
        }
    }

    /// <summary>Writes every queued line now (the warm-up's end, the host's stop, tests).</summary>
    public void Flush()
    {
        lock (_writing)
        {
            while (_lines.TryDequeue(out var line))
            {
                Interlocked.Decrement(ref _queued);
                Write(line);
            }
        }
    }

    private void WriteLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _wake.Wait(_stop.Token);
                _wake.Reset();
                // Lines queued from here on wake the next round; those already queued are written in this one.
                Volatile.Write(ref _awake, 0);
                _stop.Token.WaitHandle.WaitOne(Gather);
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: StoppedAsync and Dispose write what is left.
        }
    }

    private void Write(Line line)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return; // The level was lowered (configuration reload) since the line was queued.
        }
        // The rule and cause names come from rule files, held at load to what Privacy.Clean leaves as it is (RuleNames).
        var ticketId = Privacy.ForLog(line.TicketId);
        if (line.EscalationLevel is { } level)
        {
            LogFollowUp(ticketId, line.RulesVersion, line.Cause, level, line.Rule, line.LatencyMs, line.RequestId ?? "-");
        }
        else
        {
            LogDiagnosis(ticketId, line.RulesVersion, line.Cause, line.Rule, line.LatencyMs, line.RequestId ?? "-");
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        // _wake and _stop are not disposed: a request that raced the stop may still touch them (and then logs its
        // own line); neither holds more than a handle the finalizer releases.
    }

    private void Stop()
    {
        _stop.Cancel();
        // A writer still held by a stalled logger (QueueFullMode=Wait, nobody reading) keeps its lines; the stop
        // does not wait on it for longer than this.
        if (_writer.Join(TimeSpan.FromSeconds(5)))
        {
            Flush();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private readonly record struct Line(string? RequestId, string? TicketId, string RulesVersion, string Cause, string Rule, double LatencyMs, int? EscalationLevel);

    // The category and event id the audit line has always had (AuditedDiagnoser, 100): log queries keep working. The
    // request id is a sane token (RequestIdMiddleware) or one the service made, so it cannot break the line.
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Diagnosed ticket {TicketId} with rules {RulesVersion}: {Cause} by {Rule} in {LatencyMs:0.00} ms (request {RequestId})")]
    private partial void LogDiagnosis(string ticketId, string rulesVersion, string cause, string rule, double latencyMs, string requestId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Followed up ticket {TicketId} with rules {RulesVersion}: {Cause}, escalation level {Level} by {Rule} in {LatencyMs:0.00} ms (request {RequestId})")]
    private partial void LogFollowUp(string ticketId, string rulesVersion, string cause, int level, string rule, double latencyMs, string requestId);
}
