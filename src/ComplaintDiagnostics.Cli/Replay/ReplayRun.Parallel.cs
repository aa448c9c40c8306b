namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>A history replayed on every core: parts side by side, merged as shard reports are.</summary>
internal sealed partial class ReplayRun
{
    /// <summary>A JSON Lines history on <paramref name="workers"/> cores: each replays one byte range of the file
    /// (<see cref="ByteRange"/>) into its own tally, and the tallies are merged as <c>replay merge</c> merges shard
    /// reports, so the report is the single-threaded run's, byte for byte.</summary>
    public static Task<ReplayRun> RunParallelAsync(
        string path, IPredictor rules, IPredictor? baseline, int workers, CancellationToken cancellationToken,
        IProgress<ReplayProgress>? progress = null)
    {
        var started = DateTimeOffset.UtcNow;
        var combined = progress is null ? null : new CombinedProgress(progress, workers);
        return RunPartsAsync(workers, async (k, token) =>
        {
            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return await RunAsync(input, csv: false, rules, baseline, combined?.Part(k), token, new Shard(k, workers), started);
        }, cancellationToken);
    }

    /// <summary>Parts of a history replayed side by side, one per core (each part a shard of the whole), merged as
    /// <c>replay merge</c> merges shard reports.</summary>
    public static async Task<ReplayRun> RunPartsAsync(int parts, Func<int, CancellationToken, Task<ReplayRun>> part, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = Enumerable.Range(0, parts).Select(k => Task.Run(async () =>
        {
            try
            {
                return await part(k, failed.Token);
            }
            catch
            {
                await failed.CancelAsync(); // One part failing stops the others.
                throw;
            }
        }, failed.Token)).ToList();
        try
        {
            var shards = await Task.WhenAll(running);
            return ReplayMerge.Merge([.. shards.Select(ShardResult.Of)]);
        }
        finally
        {
            // Every part that finished is let go (its spilled changes deleted), whether or not another failed.
            foreach (var task in running.Where(t => t.IsCompletedSuccessfully))
            {
                task.Result.Dispose();
            }
        }
    }
}
