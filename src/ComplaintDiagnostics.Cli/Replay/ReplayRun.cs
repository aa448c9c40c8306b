using ComplaintDiagnostics.Core.Rules;
namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>Progress of a replay: input bytes read (for the ETA), tickets answered, and the bytes there are to read
/// when the replay knows better than the file's length (a shard's byte range); 0 when it does not.</summary>
internal readonly record struct ReplayProgress(long BytesRead, long Tickets, long TotalBytes = 0);

/// <summary>One shard of a history, for replaying it as N independent jobs whose reports <c>replay merge</c> combines:
/// of a JSON Lines file the K-th of N byte ranges (see <see cref="ByteRange"/>), of CSV the tickets at positions K, K+N,
/// K+2N, ... (0-based, in file order).</summary>
internal readonly record struct Shard(int Index, int Count)
{
    public bool Holds(long position) => position % Count == Index;

    /// <summary>Parses <c>K/N</c> with 0 ≤ K &lt; N.</summary>
    public static Shard? Parse(string? text) =>
        text?.Split('/') is [var k, var n] && int.TryParse(k, out var index) && int.TryParse(n, out var count) && count > 0 && index >= 0 && index < count
            ? new Shard(index, count)
            : null;

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>A cause's agreement (recall) before and after a proposed edit.</summary>
/// <param name="MovedToNewCause">Of its tickets the baseline answered right, those the edit answers with a cause the
/// baseline does not have: a new cause no history can confirm yet, reported as such and not as a regression.</param>
internal sealed record CauseChange(string Cause, long Support, double? Before, double? After, long MovedToNewCause = 0)
{
    /// <summary>Agreement drops beyond the tickets moved to a new cause.</summary>
    public bool Regressed => Before is { } b && After is { } a && a + (double)MovedToNewCause / Math.Max(1, Support) * 100 < b - 1e-9;
}

/// <summary>The result of replaying a history: totals, the tally per rule set, and the comparison.</summary>
internal sealed partial class ReplayRun : IDisposable
{
    private const int ProgressEvery = 4096;
    private readonly List<MalformedLine> _malformed = [];

    internal ReplayRun(ReplayTally tally, ComparisonTally? comparison, Shard? shard = null, DateTimeOffset? started = null)
    {
        Tally = tally;
        Comparison = comparison;
        Shard = shard;
        _started = started ?? DateTimeOffset.UtcNow;
    }

    /// <summary>The shard this run replayed, or null for the whole history (a single run, or a merge of all shards).</summary>
    public Shard? Shard { get; }

    /// <summary>The records read (tickets and records that could not be read alike; blank lines are not records).</summary>
    public long Lines { get; internal set; }
    public long MalformedCount { get; internal set; }

    /// <summary>The last physical line read: with <see cref="Lines"/>, how much of the file the records cover.</summary>
    public long LastLine { get; internal set; }

    /// <summary>Records that could not be read as records at all (not JSON, a CSV quoting error), and the physical lines
    /// they took with them: a stray quote can make hundreds of lines one record.</summary>
    public long UnreadableCount { get; internal set; }

    public long UnreadableLines { get; internal set; }

    /// <summary>The first malformed lines (at most <see cref="ReplayTally.MalformedKept"/>); all are counted.</summary>
    public IReadOnlyList<MalformedLine> Malformed => _malformed;

    private readonly DateTimeOffset _started;

    public ReplayTally Tally { get; }
    public ComparisonTally? Comparison { get; }

    /// <summary>The cause catalogue the confirmed causes were read by, for the report's list of those that are no
    /// cause of the rules; null where it is not known (a merge of shard reports, which carry that list instead).</summary>
    public ConfirmedCauses? Causes { get; set; }

    /// <summary>The confirmed causes that are no cause of the rules (see <see cref="ConfirmedCauseReport.Unknown"/>), or null
    /// where neither the catalogue nor the shards' lists are known.</summary>
    public IReadOnlyList<UnknownCause>? UnknownConfirmed => Causes?.Unknown(Tally) ?? MergedUnknown;

    internal IReadOnlyList<UnknownCause>? MergedUnknown { get; set; }

    public IReadOnlyList<CauseChange> CauseChanges
    {
        get
        {
            if (Comparison is null)
            {
                return [];
            }
            var moved = MovedFromAgreed();
            return [.. Tally.Causes.Select(c => (c.Cause, c.Support, After: c.Recall))
                .Join(Comparison.Baseline.Causes, a => a.Cause, b => b.Cause,
                    (a, b) => new CauseChange(a.Cause, a.Support, b.Recall, a.After, moved.GetValueOrDefault(a.Cause)))
                .Where(c => c.Support > 0)];
        }
    }

    /// <summary>The baseline's cause catalogue, when known: what makes a cause new.</summary>
    public ConfirmedCauses? BaselineCauses { get; set; }

    /// <summary>Tickets the edit answers with a cause the baseline does not have, by that new cause (domain.md v3: "moves N
    /// tickets to a cause that is new"); empty without a baseline catalogue.</summary>
    public IReadOnlyDictionary<string, long> MovedToNewCause => Moves().GroupBy(c => c.After.Cause!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);

    private Dictionary<string, long> MovedFromAgreed() => Moves()
        .Where(c => c.Confirmed is { } confirmed && string.Equals(c.Before.Cause, confirmed, StringComparison.Ordinal))
        .GroupBy(c => c.Confirmed!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);

    // The changes are spilled to a file; the reports ask for the moves several times, once the run is complete.
    private List<AnswerChange>? _moves;

    private List<AnswerChange> Moves() => _moves ??= Comparison is null || BaselineCauses is not { } baseline ? []
        : [.. Comparison.Changes().Where(c => c.After.Cause is { } cause && !baseline.IsCode(cause) && !string.Equals(c.Before.Cause, cause, StringComparison.Ordinal))];

    public static async Task<ReplayRun> RunAsync(
        Stream input, bool csv, IPredictor rules, IPredictor? baseline, IProgress<ReplayProgress>? progress, CancellationToken cancellationToken,
        Shard? shard = null, DateTimeOffset? started = null)
    {
        // A shard of a JSON Lines file is a byte range (the N jobs read the file once between them); of CSV (a
        // header, quoted line breaks) every N-th ticket, skipped before it is parsed.
        Func<long, bool>? take = null;
        var firstLine = 1L;
        if (shard is { } s)
        {
            if (!csv && input.CanSeek)
            {
                var (start, end, first) = await ByteRange.OfAsync(input, s, cancellationToken);
                input = new StreamWindow(input, start, end);
                firstLine = first;
            }
            else
            {
                take = s.Holds;
            }
        }
        // Progress: a shard's byte range is what there is to read (its size goes with each report); for a whole file
        // the caller knows the size.
        var window = input as StreamWindow;
        var total = window?.Length ?? (input.CanSeek ? input.Length : 0);
        return await RunAsync(TicketReader.ReadAsync(input, csv, cancellationToken, take, firstLine), rules, baseline,
            progress is null ? null : (run, final) => progress.Report(
                new(final ? total : window?.Position ?? (input.CanSeek ? input.Position : 0), run.Tally.Evaluated, window is null ? 0 : total)),
            cancellationToken, shard, started);
    }

    /// <summary>Replays records as they come (a file's lines, or the decision record's rows); <paramref name="report"/> is
    /// told every few thousand tickets and at the end (<c>true</c>).</summary>
    public static async Task<ReplayRun> RunAsync(
        IAsyncEnumerable<TicketLine> lines, IPredictor rules, IPredictor? baseline, Action<ReplayRun, bool>? report, CancellationToken cancellationToken,
        Shard? shard = null, DateTimeOffset? started = null)
    {
        var run = new ReplayRun(new ReplayTally(rules.Version), baseline is null ? null : new ComparisonTally(new ReplayTally(baseline.Version)), shard, started);
        var chunk = new List<HistoricalTicket>(rules.BatchSize);
        var reportedAt = 0L;
        await foreach (var line in lines)
        {
            run.Lines++;
            run.LastLine = Math.Max(run.LastLine, Math.Max(line.Line, line.Through));
            if (line.Ticket is null)
            {
                run.AddMalformed(line.Line, line.Error!);
                if (line.Unreadable)
                {
                    run.UnreadableCount++;
                    run.UnreadableLines += line.PhysicalLines;
                }
                continue;
            }
            chunk.Add(line.Ticket);
            if (chunk.Count == rules.BatchSize)
            {
                await run.AnswerAsync(chunk, rules, baseline, cancellationToken);
                // Every few thousand tickets: often enough for a progress bar, rarely enough to cost nothing.
                if (report is not null && run.Tally.Evaluated - reportedAt >= ProgressEvery)
                {
                    reportedAt = run.Tally.Evaluated;
                    report(run, false);
                }
            }
        }
        await run.AnswerAsync(chunk, rules, baseline, cancellationToken);
        report?.Invoke(run, true);
        run.Tally.Version = rules.Version;
        if (run.Comparison is not null)
        {
            run.Comparison.Baseline.Version = baseline!.Version;
        }
        return run;
    }

    private async Task AnswerAsync(List<HistoricalTicket> chunk, IPredictor rules, IPredictor? baseline, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }
        // A ticket without receivedAt is answered as received when the replay started, by both rule sets alike.
        var requests = chunk.Select(t => t.Request.ReceivedAt is null ? t.Request with { ReceivedAt = _started } : t.Request).ToList();
        var after = await rules.PredictAsync(requests, cancellationToken);
        var before = baseline is null ? null : await baseline.PredictAsync(requests, cancellationToken);
        for (var i = 0; i < chunk.Count; i++)
        {
            var error = after[i].Error ?? before?[i].Error;
            if (error is not null)
            {
                AddMalformed(chunk[i].Line, "the service refused it: " + error);
                continue;
            }
            var ticket = chunk[i];
            if (rules.Causes?.Resolve(ticket.ConfirmedCause) is { } code && !ReferenceEquals(code, ticket.ConfirmedCause))
            {
                ticket = ticket with { ConfirmedCause = code }; // "欠费", "account_arrears": ACCOUNT_ARREARS
            }
            Tally.Add(ticket, after[i]);
            Comparison?.Add(ticket, before![i], after[i]);
        }
        chunk.Clear();
    }

    /// <summary>The progress of byte ranges replayed side by side, added up into one: bytes and tickets summed, the
    /// total left to the caller (the file's length).</summary>
    internal sealed class CombinedProgress(IProgress<ReplayProgress> outer, int parts)
    {
        private readonly ReplayProgress[] _parts = new ReplayProgress[parts];

        public IProgress<ReplayProgress> Part(int index) => new PartProgress(this, index);

        private void Report(int index, ReplayProgress value)
        {
            ReplayProgress sum;
            lock (_parts)
            {
                _parts[index] = value;
                sum = new ReplayProgress(_parts.Sum(p => p.BytesRead), _parts.Sum(p => p.Tickets));
            }
            outer.Report(sum);
        }

        private sealed class PartProgress(CombinedProgress owner, int index) : IProgress<ReplayProgress>
        {
            public void Report(ReplayProgress value) => owner.Report(index, value);
        }
    }

    internal void AddMalformed(long line, string error)
    {
        MalformedCount++;
        if (_malformed.Count < ReplayTally.MalformedKept)
        {
            _malformed.Add(new MalformedLine(line, error));
        }
    }

    public void Dispose()
    {
        Tally.Dispose();
        Comparison?.Dispose();
    }
}
