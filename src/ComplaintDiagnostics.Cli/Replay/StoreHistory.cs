using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// <c>replay --from-store</c>: the recorded complaints whose ticket has a confirmed cause, read from the record as a
/// file replay reads its lines (the same complaint reader, replay, compare and gate), on every core. The latest
/// diagnosis of each ticket stands for it (the work order at its most complete). Nothing is written to disk.
/// </summary>
internal sealed class StoreHistory(IDecisionStore store, DateTimeOffset since, string? sinceText) : IAsyncDisposable
{
    private readonly IDecisionStore _store = store;
    private readonly DateTimeOffset _since = since;
    private readonly string? _sinceText = sinceText;

    /// <summary>The provider a connection string is for: PostgreSQL when it names a host, SQLite otherwise (a file
    /// path alone is read as one).</summary>
    public static (string Provider, string ConnectionString) Read(string connection) =>
        connection.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? ("postgresql", connection)
        : connection.Contains('=', StringComparison.Ordinal) ? ("sqlite", connection)
        : ("sqlite", $"Data Source={connection};Mode=ReadOnly");

    /// <summary>A --since value: a number of days (<c>30d</c>) or a date or time (<c>2026-11-01</c>).</summary>
    public static DateTimeOffset? Since(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DateTimeOffset.MinValue;
        }
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36_500)
        {
            return now - TimeSpan.FromDays(days);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>The record behind <paramref name="connection"/>, to replay what it holds since <paramref name="since"/>.</summary>
    /// <param name="sinceText">The --since value as given, for the console.</param>
    public static StoreHistory Open(string connection, DateTimeOffset since, string? sinceText)
    {
        var (provider, connectionString) = Read(connection);
        return new StoreHistory(ServiceCollectionExtensions.Create(provider, connectionString), since, sinceText);
    }

    /// <summary>What the console calls this input.</summary>
    public string Description => "the decision record" + (_sinceText is null ? "" : $" since {_sinceText}");

    /// <summary>The record's complaints with a confirmed cause replayed in parts side by side (<paramref name="workers"/>,
    /// each a range of decision ids read on its own connection straight into its replay), merged as shards are.</summary>
    public async Task<ReplayRun> ReplayAsync(IPredictor rules, IPredictor? baseline, int workers, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var parts = await _store.SplitAsync(_since, workers, cancellationToken);
        return await ReplayRun.RunPartsAsync(parts.Count, (k, token) =>
            ReplayRun.RunAsync(Lines(parts[k], token), rules, baseline, null, token, new Shard(k, parts.Count), started), cancellationToken);
    }

    /// <summary>A part's complaints with a confirmed cause, each read by the one complaint reader and given what the area
    /// look-up gave the rules when it left that unknown, so the replay answers it as the service did. A record is
    /// numbered by its place in the record (about: the parts are cut on every decision).</summary>
    private async IAsyncEnumerable<TicketLine> Lines(ReplayPart part, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var read = TicketReader.Recorded();
        var number = part.Offset;
        await foreach (var row in _store.ReplayAsync(_since, part, cancellationToken))
        {
            number++;
            if (row.ConfirmedCause is { } confirmed)
            {
                yield return read(number, row.Request, confirmed, row.LookedUpSimilar);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else if (_store is IDisposable plain)
        {
            plain.Dispose();
        }
    }
}
