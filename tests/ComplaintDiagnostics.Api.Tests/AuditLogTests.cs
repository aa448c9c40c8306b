using System.Collections.Concurrent;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The audit line is queued by the request and written by <see cref="AuditLog"/>'s own thread: the line
/// itself must not change, none may be lost, and a stalled logger must not hold requests while there is room.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task QueuedLinesAreWrittenSoonOffTheCallersThreadWithTheirRequestIdAndMaskedTicket()
    {
        var logger = new RecordingLogger();
        using var audit = new AuditLog(logger);

        for (var i = 0; i < 100; i++)
        {
            audit.Diagnosed($"req-{i}", $"T-{i} 13812345678", "v1", "ACCOUNT_ARREARS", "D1_AccountInArrears", 0.25);
        }

        await HttpClientExtensions.Eventually(() => Task.FromResult(logger.Lines.Count == 100), TimeSpan.FromSeconds(10), "100 lines written");
        var lines = logger.Lines.ToList();
        Assert.All(lines, l => Assert.Equal("Audit log writer", l.Thread));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"(request req-{i})"), lines.Select(l => l.Message[l.Message.IndexOf('(', StringComparison.Ordinal)..]));
        Assert.Equal("Diagnosed ticket T-0 138****5678 with rules v1: ACCOUNT_ARREARS by D1_AccountInArrears in 0.25 ms (request req-0)", lines[0].Message);
        Assert.All(lines, l => Assert.Equal(100, l.EventId));
    }

    [Fact]
    public void StoppingWritesEveryLineStillQueued()
    {
        var (logger, audit) = WriterHeldOnItsFirstLine("req-0");
        for (var i = 1; i < 50; i++)
        {
            audit.Diagnosed($"req-{i}", $"T-{i}", "v1", "C", "R", 1);
        }

        logger.Gate!.Set();
        audit.Dispose();

        Assert.Equal(50, logger.Lines.Count);
        Assert.Equal(50, logger.Lines.Select(l => l.Message).Distinct().Count());
    }

    [Fact]
    public void WhenTheQueueIsFullARequestLogsItsOwnLineAndTheLoggersPolicyDecides()
    {
        // The writer is stuck in a stalled logger (as with QueueFullMode=Wait and nobody reading standard output):
        // the queue fills to its capacity, and the next line is logged by the caller itself, not dropped.
        var (logger, audit) = WriterHeldOnItsFirstLine("first");
        for (var i = 0; i < AuditLog.Capacity; i++)
        {
            audit.Diagnosed($"queued-{i}", "T", "v1", "C", "R", 1);
        }
        Assert.Empty(logger.Lines);

        audit.Diagnosed("overflow", "T", "v1", "C", "R", 1);

        var own = Assert.Single(logger.Lines);
        Assert.EndsWith("(request overflow)", own.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.CurrentManagedThreadId, own.ManagedThread);
        logger.Gate!.Set();
        audit.Dispose();
        Assert.Equal(AuditLog.Capacity + 2, logger.Lines.Count);
    }

    /// <summary>An audit log whose writer has taken its first line and is held inside the logger until the gate opens;
    /// the lines queued after it wait.</summary>
    private static (RecordingLogger Logger, AuditLog Audit) WriterHeldOnItsFirstLine(string requestId)
    {
        var logger = new RecordingLogger { Gate = new ManualResetEventSlim(false) };
        var audit = new AuditLog(logger);
        audit.Diagnosed(requestId, "T-0", "v1", "C", "R", 1);
        Assert.True(SpinWait.SpinUntil(() => logger.Entered, TimeSpan.FromSeconds(10)));
        return (logger, audit);
    }

    private sealed class RecordingLogger : ILogger<AuditedDiagnoser>
    {
        public ConcurrentQueue<(string Message, int EventId, string? Thread, int ManagedThread)> Lines { get; } = new();

        /// <summary>When set, the writer thread waits here on its first line.</summary>
        public ManualResetEventSlim? Gate { get; init; }

        public volatile bool Entered;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Gate is { } gate && Thread.CurrentThread.Name == "Audit log writer")
            {
                Entered = true;
                gate.Wait();
            }
            Lines.Enqueue((formatter(state, exception), eventId.Id, Thread.CurrentThread.Name, Environment.CurrentManagedThreadId));
        }
    }
}
