namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// Confirmed causes (a replayed history's, the outcomes the ticket system posts) read against the cause catalogue of the rules that answer it. A ticketing system's
/// export writes the cause as its staff chose it: the code in another case (<c>account_arrears</c>), or the label
/// (<c>欠费</c>, <c>Account in arrears</c>). Each is the catalogue's cause and is counted as that code; before, each
/// counted as a disagreement the rules could never avoid. A label two causes share stays as written. What matches no
/// code and no label is listed with the report, or in the outcomes answer: the rules can never agree with it.
/// </summary>
public sealed class ConfirmedCauses
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

    /// <summary>Whether <paramref name="text"/> is written as a cause code (<c>NETWORK_ALARM</c>, causes.schema.json's
    /// pattern), whether or not this catalogue has it.</summary>
    public static bool IsCodeShaped(string text) => Compiling.RuleNames.CauseCode.IsMatch(text);

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

    /// <summary>True when <paramref name="code"/> is one of the catalogue's codes in any case.</summary>
    public bool IsCode(string code) => _codes.ContainsKey(code);

    /// <summary>The code <paramref name="given"/> most likely meant (edit distance), or null.</summary>
    public string? Meant(string given) => given.Contains('\uFFFD', StringComparison.Ordinal) ? null : DidYouMean.Closest(given, Codes);
}
