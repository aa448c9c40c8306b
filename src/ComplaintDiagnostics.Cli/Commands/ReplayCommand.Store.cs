using ComplaintDiagnostics.Cli.Replay;

namespace ComplaintDiagnostics.Cli.Commands;

/// <summary><c>replay --from-store</c> and <c>check --from-store</c>: the decision record as a history file.</summary>
internal sealed partial class ReplayCommand
{
    /// <summary>The replay of a history file, or of the decision record (<c>--from-store</c>) written out as one first: the
    /// same replay, compare and gate, on every core.</summary>
    public async Task<(int Code, string? Summary, IReadOnlyList<string> AcceptedRegressions)> ReplayHistoryAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        if (options.FromStore is not { } store)
        {
            return await ReplayAsync(options, cancellationToken);
        }
        var history = new FileInfo(Path.Combine(Path.GetTempPath(), $"cd-from-store-{Guid.NewGuid():N}.jsonl"));
        try
        {
            var written = await StoreHistory.WriteAsync(store, StoreHistory.Since(options.Since, time.GetUtcNow()) ?? DateTimeOffset.MinValue, history.FullName, cancellationToken);
            await console.Out.WriteLineAsync($"Decision record: {written:N0} recorded complaints with a confirmed cause{(options.Since is null ? "" : $" since {options.Since}")}.");
            history.Refresh();
            return await ReplayAsync(options with { Tickets = history }, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"Cannot read the decision record: {Contracts.Privacy.Clean(ex.Message)}");
            return (ExitCodes.Usage, null, []);
        }
        finally
        {
            history.Delete();
        }
    }
}
