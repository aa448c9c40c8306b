namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The closest known name to a misspelt one, for "did you mean ...?" in every problem about an unknown name.</summary>
public static class DidYouMean
{
    /// <summary>The candidate closest to <paramref name="name"/> (same letters ignoring case, or at most a third of
    /// its letters edited, or <paramref name="maxEdits"/> when given; of equally close ones, the nearest in length, then
    /// the first), or null when none is close enough to be a typo.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int? maxEdits = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var distance = string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase) ? 0
                : Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            // On a tie, the candidate nearer in length: "=>" is ">=" with two signs swapped, not ">" with one added.
            if (distance < bestDistance || (distance == bestDistance && Math.Abs(candidate.Length - name.Length) < Math.Abs(best!.Length - name.Length)))
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best is not null && bestDistance <= (maxEdits ?? Math.Max(1, name.Length / 3)) ? best : null;
    }

    /// <summary>" Did you mean 'X'?" or an empty string.</summary>
    public static string Phrase(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } close ? $" Did you mean '{close}'?" : "";

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
