using ComplaintDiagnostics.Cli.Replay;

namespace ComplaintDiagnostics.Cli.Commands;

/// <summary><c>replay --from-store</c> and <c>check --from-store</c>: the decision record as a history file.</summary>
internal sealed partial class ReplayCommand
{
    /// <summary>The replay of a history file, or of the decision record (<c>--from-store</c>): the same replay, compare and
    /// gate, on every core (the record read in parts side by side, straight into the replay).</summary>
    public async Task<(int Code, string? Summary, IReadOnlyList<string> AcceptedRegressions)> ReplayHistoryAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        if (options.FromStore is not { } store)
        {
            return await ReplayAsync(options, cancellationToken);
        }
        try
        {
            await using var record = StoreHistory.Open(store, StoreHistory.Since(options.Since, time.GetUtcNow()) ?? DateTimeOffset.MinValue, options.Since);
            return await ReplayAsync(options, cancellationToken, record);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"Cannot read the decision record: {Contracts.Privacy.Clean(ex.Message)}");
            return (ExitCodes.Usage, null, []);
        }
    }
}
