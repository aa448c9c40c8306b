using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>The recorder's fallback: batches the store did not take go to the on-disk spool, drained oldest first once
/// it answers; a decision the store refuses for good is set aside; what none can keep is counted as lost, logged and
/// shown, never silent.</summary>
public sealed partial class DecisionRecorder
{
    private void Spool(List<DecisionRecord> batch)
    {
        try
        {
            if (_spool.Value.TryAppend(batch))
            {
                _spoolFailing = false;
                _metrics.Spooled(batch.Count);
                return;
            }
            CountLost(batch.Count, "spool_full");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolFailed(ex);
            CountLost(batch.Count, "spool_unwritable");
        }
    }

    /// <summary>Said once while the spool keeps failing (its folder unwritable, or held by another process), not per batch.</summary>
    private void SpoolFailed(Exception ex)
    {
        if (!_spoolFailing)
        {
            _spoolFailing = true;
            LogSpoolFailed(ex, _options.SpoolPath);
        }
    }

    /// <summary>The spool, opened if it is not yet; false (said once) when it cannot be.</summary>
    private bool SpoolOpen()
    {
        try
        {
            _ = _spool.Value;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolFailed(ex);
            return false;
        }
    }

    /// <summary>A few spool segments per call, while the store answers; when it does not, tried again with backoff.</summary>
    private async Task DrainSpoolAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled || (!_spool.IsValueCreated && SpoolBytesOnDisk() == 0) || stoppingToken.IsCancellationRequested)
        {
            return;
        }
        // Not while a write that outlasted its timeout still runs: the drain's writes would be refused meanwhile.
        if (_lateWrite is { IsCompleted: false } || !SpoolOpen() || _spool.Value.IsEmpty || (!_reachable && Clock.GetUtcNow() < _nextTry))
        {
            return;
        }
        if (!_reachable)
        {
            try
            {
                await _store.MigrateAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(ex);
                return;
            }
        }
        // A few segments per turn (about 40,000 decisions), so the queue is written in between.
        var drained = await _spool.Value.DrainAsync(TryWriteAsync, segments: 8, _options.BatchSize, stoppingToken);
        if (drained > 0)
        {
            LogDrained(drained, _spool.Value.Bytes);
            await KeepRuleSetsAsync();
        }
    }

    private void CountLost(int count, string reason)
    {
        var lost = Interlocked.Add(ref _lost, count);
        _metrics.Lost(count, reason);
        // One line per thousand lost at most, so a full spool under load does not flood the log.
        if (lost - Interlocked.Read(ref _lastLossLogged) >= 1000 || lost == count)
        {
            Interlocked.Exchange(ref _lastLossLogged, lost);
            LogLost(count, reason, lost);
        }
    }

    private long SpoolBytesOnDisk() =>
        Directory.Exists(_options.SpoolPath) ? Directory.EnumerateFiles(_options.SpoolPath, "*.jsonl").Sum(f => new FileInfo(f).Length) : 0;

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Decision spool drained: {Count} decisions written to the store, {BytesLeft} bytes left")]
    private partial void LogDrained(int count, long bytesLeft);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "{Count} decisions not recorded ({Reason}); {Total} lost since start")]
    private partial void LogLost(int count, string reason, long total);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "Decision spool at {SpoolPath} could not be written")]
    private partial void LogSpoolFailed(Exception ex, string spoolPath);

    /// <summary>A batch the store refused, written a decision at a time; false (and the batch kept) when the store stops
    /// answering meanwhile.</summary>
    private async Task<bool> WriteOneByOneAsync(DecisionRecord[] decisions)
    {
        foreach (var decision in decisions)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.WriteTimeoutMilliseconds), Clock);
            try
            {
                await Task.Run(() => _store.WriteAsync([decision], timeout.Token), timeout.Token);
                Interlocked.Increment(ref _stored);
                _metrics.Stored(1);
            }
            catch (Exception ex) when (_store.Refuses(ex))
            {
                LogRefused(decision.DecisionId, Contracts.Privacy.Clean(ex.Message));
                CountLost(1, "refused");
                KeepRefused(decision);
            }
            catch (Exception ex)
            {
                Failed(ex is OperationCanceledException ? new TimeoutException($"the store took more than {_options.WriteTimeoutMilliseconds} ms to write a decision") : ex);
                return false; // Those written already are written again later at no cost (writes are idempotent).
            }
        }
        _reachable = true;
        return true;
    }

    /// <summary>A refused decision kept by the spool (<see cref="DecisionSpool.KeepRefused"/>). Best effort: it is already
    /// counted and logged.</summary>
    private void KeepRefused(DecisionRecord decision)
    {
        try
        {
            if (SpoolOpen())
            {
                _spool.Value.KeepRefused(decision);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolFailed(ex);
        }
    }

    [LoggerMessage(EventId = 305, Level = LogLevel.Error, Message = "Decision {DecisionId} refused by the store and not recorded: {Error}; kept in the spool folder's refused/decisions.jsonl")]
    private partial void LogRefused(string decisionId, string error);
}
