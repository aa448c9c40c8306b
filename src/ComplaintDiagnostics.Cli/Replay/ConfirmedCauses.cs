using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// A history's confirmed causes read against the cause catalogue of the rules that answer it. A ticketing system's
/// export writes the cause as its staff chose it: the code in another case (<c>account_arrears</c>), or the label
/// (<c>欠费</c>, <c>Account in arrears</c>). Each is the catalogue's cause and is counted as that code; before, each
/// counted as a disagreement the rules could never avoid. A label two causes share stays as written. What matches no
/// code and no label is listed with the report (<see cref="Unknown"/>): the rules can never agree with it.
/// </summary>
internal sealed class ConfirmedCauses
{
    private readonly Dictionary<string, string> _codes;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byName;

    public ConfirmedCauses(IEnumerable<(string Code, IEnumerable<string> Labels)> catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var causes = catalogue.ToList();
        _codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, _) in causes)
        {
            _codes.TryAdd(code, code);
        }
        Codes = [.. causes.Select(c => c.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var byLabel = causes.SelectMany(c => c.Labels.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => (Label: l.Trim(), c.Code)))
            .GroupBy(x => x.Label, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(x => x.Code).Distinct(StringComparer.Ordinal).Count() == 1 && !_codes.ContainsKey(g.Key));
        var names = new Dictionary<string, string>(_codes, StringComparer.OrdinalIgnoreCase);
        foreach (var label in byLabel)
        {
            names[label.Key] = label.First().Code;
        }
        _byName = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The catalogue's codes, in order.</summary>
    public IReadOnlyList<string> Codes { get; }

    public static ConfirmedCauses Of(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new(rules.Causes.Values.Select(c => (c.Code, (IEnumerable<string>)c.Labels.Values)));
    }

    /// <summary>The code <paramref name="confirmed"/> names (the same string when it is one, exactly), or
    /// <paramref name="confirmed"/> itself when it names none.</summary>
    public string Resolve(string confirmed)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        return _byName.TryGetValue(confirmed.AsSpan().Trim(), out var code) && !string.Equals(code, confirmed, StringComparison.Ordinal) ? code : confirmed;
    }

    /// <summary>Of the confirmed causes a tally counted, those that are no code of the catalogue: each with how many
    /// tickets confirm it and the code it may have meant.</summary>
    public IReadOnlyList<UnknownCause> Unknown(ReplayTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return [.. tally.Causes.Where(c => c.Support > 0 && !_codes.ContainsKey(c.Cause))
            .Select(c => c.Cause.Contains('\uFFFD', StringComparison.Ordinal)
                ? new UnknownCause(c.Cause, c.Support, null) { NotUtf8 = true }
                : new UnknownCause(c.Cause, c.Support, DidYouMean.Closest(c.Cause, Codes)))];
    }
}

/// <summary>A confirmed cause that is no cause of the rules: how many tickets confirm it, and the code it may have meant.</summary>
internal sealed record UnknownCause(string Cause, long Support, string? Meant)
{
    /// <summary>Its bytes were not UTF-8 (read as U+FFFD): most likely a label in a history saved as GBK ("ANSI" on a
    /// Chinese Windows), which reads as no cause at all.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool NotUtf8 { get; init; }

    /// <summary>What the reports say after the count (the console, and the HTML page from the JSON): how to read the
    /// text, or the code meant; null when there is nothing to say.</summary>
    public string? Advice => NotUtf8 ? "the text is not UTF-8: was the history saved as GBK (ANSI)? Save it as UTF-8."
        : Meant is { } meant ? $"did you mean {meant}?" : null;
}
