using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Cli.Replay;

internal sealed record MalformedLine(long Line, string Error);

internal sealed record Disagreement(long Line, string? TicketId, string Confirmed, string Predicted, string? MatchedRule);

internal sealed record CauseStats(string Cause, long Support, long Predicted, long Correct)
{
    /// <summary>Of the tickets the rules gave this cause, the share whose confirmed cause it was.</summary>
    public double? Precision => Predicted == 0 ? null : Math.Round(100.0 * Correct / Predicted, 2);

    /// <summary>Of the tickets confirmed with this cause, the share the rules got right: this cause's agreement.</summary>
    public double? Recall => Support == 0 ? null : Math.Round(100.0 * Correct / Support, 2);
}

/// <summary>
/// Running totals of one replay against one rule set. Everything but the disagreements is a fixed-size
/// count; disagreements go to a temporary file, so a history of millions of tickets replays in constant memory.
/// </summary>
internal sealed class ReplayTally : IDisposable
{
    public const int MalformedKept = 1000;

    private readonly Dictionary<(string Confirmed, string Predicted), long> _confusion = [];
    private readonly string _disagreementFile = Path.GetTempFileName();
    private readonly StreamWriter _disagreements;

    public ReplayTally(string version)
    {
        Version = version;
        _disagreements = new StreamWriter(_disagreementFile);
    }

    public string Version { get; set; }
    public long Evaluated { get; private set; }
    public long Agreed { get; private set; }
    public long NeedsInfo { get; private set; }
    public long RouteChecked { get; private set; }
    public long RouteAgreed { get; private set; }
    public long DisagreementCount { get; private set; }

    public double Agreement => Evaluated == 0 ? 0 : Math.Round(100.0 * Agreed / Evaluated, 2);
    public double NeedsInfoRate => Evaluated == 0 ? 0 : Math.Round(100.0 * NeedsInfo / Evaluated, 2);
    public double? RouteAgreement => RouteChecked == 0 ? null : Math.Round(100.0 * RouteAgreed / RouteChecked, 2);

    public void Add(HistoricalTicket ticket, Prediction prediction)
    {
        var predicted = prediction.Cause!;
        Evaluated++;
        _confusion[(ticket.ConfirmedCause, predicted)] = _confusion.GetValueOrDefault((ticket.ConfirmedCause, predicted)) + 1;
        if (prediction.Status == DiagnosisStatus.NeedsInfo)
        {
            NeedsInfo++;
        }
        if (ticket.ConfirmedRoute is { } route)
        {
            RouteChecked++;
            if (prediction.Route is { } r && string.Equals(ContractJson.WireName(r), route, StringComparison.OrdinalIgnoreCase))
            {
                RouteAgreed++;
            }
        }
        if (predicted == ticket.ConfirmedCause)
        {
            Agreed++;
            return;
        }
        DisagreementCount++;
        _disagreements.WriteLine(JsonSerializer.Serialize(
            new Disagreement(ticket.Line, Privacy.ForLog(ticket.Request.TicketId), ticket.ConfirmedCause, predicted, prediction.MatchedRule), ContractJson.Options));
    }

    /// <summary>Adds another tally's counts (a shard's, read back from its report); the disagreements are
    /// appended separately, in line order, with <see cref="AppendDisagreement"/>.</summary>
    public void AddCounts(long evaluated, long agreed, long needsInfo, long routeChecked, long routeAgreed, IEnumerable<((string Confirmed, string Predicted) Cell, long Count)> confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        Evaluated += evaluated;
        Agreed += agreed;
        NeedsInfo += needsInfo;
        RouteChecked += routeChecked;
        RouteAgreed += routeAgreed;
        foreach (var (cell, count) in confusion)
        {
            _confusion[cell] = _confusion.GetValueOrDefault(cell) + count;
        }
    }

    /// <summary>One disagreement as its JSON line, as another tally wrote it.</summary>
    public void AppendDisagreement(string json)
    {
        DisagreementCount++;
        _disagreements.WriteLine(json);
    }

    /// <summary>Every (confirmed, predicted) cell with its count.</summary>
    public IEnumerable<((string Confirmed, string Predicted) Cell, long Count)> Confusion => _confusion.Select(kv => (kv.Key, kv.Value));

    /// <summary>Every cause seen, confirmed or predicted, in a stable order.</summary>
    public IReadOnlyList<string> Labels => [.. _confusion.Keys.SelectMany(k => new[] { k.Confirmed, k.Predicted }).Distinct().Order(StringComparer.Ordinal)];

    public long Count(string confirmed, string predicted) => _confusion.GetValueOrDefault((confirmed, predicted));

    public IReadOnlyList<CauseStats> Causes => [.. Labels.Select(c => new CauseStats(
        c,
        _confusion.Where(kv => kv.Key.Confirmed == c).Sum(kv => kv.Value),
        _confusion.Where(kv => kv.Key.Predicted == c).Sum(kv => kv.Value),
        Count(c, c)))];

    /// <summary>The disagreements as JSON lines, in input order, read back from disk.</summary>
    public IEnumerable<string> DisagreementLines()
    {
        _disagreements.Flush();
        using var reader = new StreamReader(new FileStream(_disagreementFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    public IEnumerable<Disagreement> Disagreements() =>
        DisagreementLines().Select(l => JsonSerializer.Deserialize<Disagreement>(l, ContractJson.Options)!);

    public void Dispose()
    {
        _disagreements.Dispose();
        File.Delete(_disagreementFile);
    }
}

/// <param name="Confirmed">The ticket's confirmed cause (as the tally read it), so a report can tell a ticket the baseline
/// answered right that now moves to a new cause.</param>
internal sealed record AnswerChange(long Line, string? TicketId, IReadOnlyList<string> Changed, Prediction Before, Prediction After, string? Confirmed = null);

/// <summary>The same tickets through the baseline and the proposed rules: which answers change.</summary>
internal sealed class ComparisonTally : IDisposable
{
    private readonly string _file = Path.GetTempFileName();
    private readonly StreamWriter _changes;

    public ComparisonTally(ReplayTally baseline)
    {
        Baseline = baseline;
        _changes = new StreamWriter(_file);
    }

    private readonly SortedDictionary<string, long> _parts = new(StringComparer.Ordinal);

    public ReplayTally Baseline { get; }
    public long ChangedCount { get; private set; }

    /// <summary>How many tickets changed in each part of the answer (cause, replyText, deadlines, ...).</summary>
    public IReadOnlyDictionary<string, long> ChangedParts => _parts;

    public void Add(HistoricalTicket ticket, Prediction before, Prediction after)
    {
        Baseline.Add(ticket, before);
        var changed = before.ChangedParts(after);
        if (changed.Count == 0)
        {
            return;
        }
        ChangedCount++;
        foreach (var part in changed)
        {
            _parts[part] = _parts.GetValueOrDefault(part) + 1;
        }
        _changes.WriteLine(JsonSerializer.Serialize(new AnswerChange(ticket.Line, Privacy.ForLog(ticket.Request.TicketId), changed, before, after, ticket.ConfirmedCause), ContractJson.Options));
    }

    /// <summary>One change as its JSON line, as another tally wrote it, with the parts it changed.</summary>
    public void AppendChange(string json, IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ChangedCount++;
        foreach (var part in parts)
        {
            _parts[part] = _parts.GetValueOrDefault(part) + 1;
        }
        _changes.WriteLine(json);
    }

    public IEnumerable<string> ChangeLines()
    {
        _changes.Flush();
        using var reader = new StreamReader(new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    public IEnumerable<AnswerChange> Changes() => ChangeLines().Select(l => JsonSerializer.Deserialize<AnswerChange>(l, ContractJson.Options)!);

    public void Dispose()
    {
        _changes.Dispose();
        File.Delete(_file);
        Baseline.Dispose();
    }
}
