using System.Threading.Channels;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>
/// Records decisions off the request path. <see cref="TryRecord"/> only puts a decision in a bounded queue; one
/// writer loop takes what has queued every <see cref="DecisionOptions.FlushMilliseconds"/> (or a full batch) and
/// writes it to the store in one transaction. A write that fails or outlasts
/// <see cref="DecisionOptions.WriteTimeoutMilliseconds"/> sends the batch to the on-disk spool instead (writes are
/// idempotent, so one that committed late costs nothing), and the spool is drained, oldest first, once the store
/// answers again, also after a restart. On stop the queue is written or spooled before the process ends. What
/// cannot be kept (queue or spool full, spool unwritable) is counted, logged and shown in status: never silent.
/// </summary>
public sealed partial class DecisionRecorder : BackgroundService, IHostedLifecycleService
{
    private static readonly TimeSpan RetryFirst = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryMost = TimeSpan.FromSeconds(5);

    // Timeouts and retries run on the machine's clock; the service's clock (a test's fake one) only dates what is recorded.
    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly IDecisionStore _store;
    private readonly DecisionOptions _options;
    private readonly DecisionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DecisionRecorder> _logger;
    private readonly Channel<DecisionRecord> _queue;
    // The located live diagnoses queued but not yet written (a batch is written once the one before it is): the area look-up
    // reads them beside the store, so a complaint answered a moment ago at the same place is "recorded" (domain.md, V4).
    private readonly AreaIndex _pendingArea = AreaIndex.Holding();
    private readonly Lazy<DecisionSpool> _spool;
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The loop, the stop and the stopped paths write the queue and the spool one at a time (the spool is one writer's).
    private readonly SemaphoreSlim _writing = new(1, 1);
    private int _queued;
    private long _stored;
    private long _lost;
    private volatile bool _reachable;
    private volatile string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset _nextTry;
    private TimeSpan _retry = RetryFirst;
    private long _lastLossLogged;
    private Task? _lateWrite;
    private bool _spoolFailing;

    public DecisionRecorder(IDecisionStore store, IOptions<DecisionOptions> options, DecisionMetrics metrics, TimeProvider time, ILogger<DecisionRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateUnbounded<DecisionRecord>(new UnboundedChannelOptions { SingleReader = true });
        // Not caching a failure: a spool folder that another process held, or that could not be written, is tried again.
        _spool = new Lazy<DecisionSpool>(() => new DecisionSpool(_options.SpoolPath, (long)_options.SpoolMegabytes << 20), LazyThreadSafetyMode.PublicationOnly);
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The store answered the last write or read the recorder made.</summary>
    public bool StoreReachable => _reachable;

    /// <summary>Completes once the schema is in place (or the migration failed: then the spool holds what comes).</summary>
    public Task Migrated => _migrated.Task;

    /// <summary>Queues a decision; never waits. False when it could not be kept (counted as lost).</summary>
    public bool TryRecord(DecisionRecord decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (Interlocked.Increment(ref _queued) > _options.QueueCapacity || !_queue.Writer.TryWrite(decision))
        {
            Interlocked.Decrement(ref _queued);
            CountLost(1, "queue_full");
            return false;
        }
        _pendingArea.Add([decision]);
        return true;
    }

    /// <summary>Queued located live diagnoses near <paramref name="query"/>, not yet in the store, as the store's look-up
    /// answers (their tickets have no confirmed cause yet as far as this goes).</summary>
    public IReadOnlyList<AreaNeighbour> PendingNear(AreaQuery query) => _pendingArea.TryNear(query, out var found) ? found : [];

    public RecorderStatus Status() => new(
        _options.Enabled, _store.Provider, _reachable, _lastError, _lastErrorAt, Interlocked.Read(ref _stored), Volatile.Read(ref _queued),
        _spool.IsValueCreated ? _spool.Value.Bytes : SpoolBytesOnDisk(), Interlocked.Read(ref _lost), _spool.IsValueCreated ? _spool.Value.Unreadable : 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One attempt: a store that is down at start must not keep decisions in memory; they go to the spool, and
        // the drain migrates and writes once the store answers.
        await MigrateAsync(stoppingToken);
        var batch = new List<DecisionRecord>(_options.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(_options.FlushMilliseconds);
                await _queue.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Nothing queued within a flush interval: a moment to drain the spool.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await _writing.WaitAsync(CancellationToken.None);
            try
            {
                await WriteQueuedAsync(batch);
                await DrainSpoolAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A spool that cannot be read or deleted: said, and tried again; the service answers on.
                LogSpoolFailed(ex, _options.SpoolPath);
            }
            finally
            {
                _writing.Release();
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _writing.WaitAsync(CancellationToken.None);
        try
        {
            if (_options.Enabled && !_reachable)
            {
                // Stopped while the store was down: one more try, briefly.
                using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(3), Clock);
                try
                {
                    await _store.MigrateAsync(brief.Token).WaitAsync(brief.Token);
                    _reachable = true;
                }
                catch (Exception ex)
                {
                    Failed(ex);
                }
            }
            // What is still queued is written, or spooled when the store does not answer in time: none is lost on SIGTERM.
            await WriteQueuedAsync(new List<DecisionRecord>(_options.BatchSize));
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>After every service has stopped, the web server too (it stops after this one and may answer requests
    /// still in flight): what they queued is written or spooled last; a decision made after this counts as lost.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(CancellationToken.None);
        try
        {
            _queue.Writer.TryComplete();
            await WriteQueuedAsync(new List<DecisionRecord>(_options.BatchSize));
            if (_spool.IsValueCreated)
            {
                _spool.Value.Dispose();
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            _migrated.TrySetResult();
            return;
        }
        try
        {
            await _store.MigrateAsync(stoppingToken);
            _reachable = true;
            LogMigrated(_store.Provider);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex); // Answers go on; decisions wait in the spool until the store can be migrated.
        }
        finally
        {
            _migrated.TrySetResult();
        }
    }

    private async Task WriteQueuedAsync(List<DecisionRecord> batch)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var decision))
            {
                batch.Add(decision);
            }
            if (batch.Count == 0)
            {
                return;
            }
            // A rule set is kept before the first decision made with it, so a decision read back names its commit.
            if (_reachable && !_ruleSetsToKeep.IsEmpty)
            {
                await KeepRuleSetsAsync();
            }
            if (!_reachable || _spool is { IsValueCreated: true, Value.IsEmpty: false } || !await TryWriteAsync(batch))
            {
                Spool(batch);
            }
            _pendingArea.Remove(batch);
            Interlocked.Add(ref _queued, -batch.Count);
        }
    }

    /// <summary>Writes a batch within the write timeout; false (and the store marked unreachable) otherwise.</summary>
    private async Task<bool> TryWriteAsync(IReadOnlyList<DecisionRecord> batch)
    {
        if (_lateWrite is { IsCompleted: false })
        {
            // A write that outlasted its timeout is still going: a second one beside it would only wait for its lock (and
            // time out in turn), so this batch waits in the spool until the store has finished.
            return false;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.WriteTimeoutMilliseconds), Clock);
        // On the thread pool: SQLite's async calls run synchronously, and the timeout must be able to give up waiting.
        // The copy is taken here: the caller reuses its list once this returns.
        DecisionRecord[] decisions = [.. batch];
        var write = Task.Run(() => _store.WriteAsync(decisions, timeout.Token));
        try
        {
            await write.WaitAsync(timeout.Token);
            _reachable = true;
            _retry = RetryFirst;
            Interlocked.Add(ref _stored, batch.Count);
            _metrics.Stored(batch.Count);
            return true;
        }
        catch (Exception ex) when (_store.Refuses(ex))
        {
            // The store refuses something in the batch, and would on every retry: each decision on its own, so one it
            // refuses is set aside (counted, logged) and the others are kept.
            return await WriteOneByOneAsync(decisions);
        }
        catch (Exception ex)
        {
            _ = write.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // A late failure is already handled.
            _lateWrite = write;
            Failed(ex is OperationCanceledException ? new TimeoutException($"the store took more than {_options.WriteTimeoutMilliseconds} ms to write {batch.Count} decisions") : ex);
            return false;
        }
    }

    private void Failed(Exception ex)
    {
        var wasReachable = _reachable;
        var first = _lastErrorAt is null;
        _reachable = false;
        _lastError = Contracts.Privacy.Clean(ex.Message);
        _lastErrorAt = _time.GetUtcNow();
        _nextTry = Clock.GetUtcNow() + _retry;
        _retry = TimeSpan.FromTicks(Math.Min(RetryMost.Ticks, _retry.Ticks * 2));
        if (wasReachable || first)
        {
            LogStoreFailed(_store.Provider, _lastError);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Decision store ready ({Provider}, schema migrated)")]
    private partial void LogMigrated(string provider);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Decision store ({Provider}) did not answer: {Error}; decisions wait in the spool until it does")]
    private partial void LogStoreFailed(string provider, string error);
}
