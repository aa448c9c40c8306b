using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Decisions;

/// <param name="Precision">confirmed / withOutcome; null until a ticket has an outcome.</param>
/// <param name="Interval">Its 95% Wilson score interval (honest at small counts, never outside 0–1).</param>
/// <param name="ConfirmedInstead">The causes its tickets were confirmed as when not its own, most first.</param>
public sealed record PerformanceRow(
    string? Workflow, string? Rule, string Cause, long Hits, long WithOutcome, long Confirmed, double? Precision, PrecisionInterval? Interval,
    IReadOnlyDictionary<string, long> ConfirmedInstead);

public sealed record PrecisionInterval(double Low, double High);

public sealed record PerformanceReport(int Days, DateTimeOffset Since, IReadOnlyList<PerformanceRow> Rules, IReadOnlyList<PerformanceRow> Causes);

/// <summary>How each row and each cause of the rules fares on the tickets whose cause was confirmed.</summary>
public static class RulePerformance
{
    /// <summary>The report over the last <paramref name="days"/> before <paramref name="now"/>, from the store's tallies.</summary>
    public static async Task<PerformanceReport> ReadAsync(IDecisionStore store, int days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var since = now - TimeSpan.FromDays(days);
        return Of(await store.TallyAsync(since, cancellationToken), days, since);
    }

    public static PerformanceReport Of(IReadOnlyList<RuleTally> tallies, int days, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        var rules = tallies.Select(t => Row(t.Workflow, t.Rule, t.Cause, t.Hits, t.ConfirmedAs))
            .OrderByDescending(r => r.Hits).ThenBy(r => r.Workflow, StringComparer.Ordinal).ThenBy(r => r.Rule, StringComparer.Ordinal).ToList();
        var causes = tallies.GroupBy(t => t.Cause, StringComparer.Ordinal)
            .Select(g => Row(null, null, g.Key, g.Sum(t => t.Hits), g.SelectMany(t => t.ConfirmedAs)
                .GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Sum(x => x.Value), StringComparer.Ordinal)))
            .OrderByDescending(r => r.Hits).ThenBy(r => r.Cause, StringComparer.Ordinal).ToList();
        return new PerformanceReport(days, since, rules, causes);
    }

    /// <summary>The Wilson score interval at 95% for <paramref name="successes"/> of <paramref name="trials"/>.</summary>
    public static PrecisionInterval? Wilson(long successes, long trials)
    {
        if (trials <= 0)
        {
            return null;
        }
        const double Z = 1.959963984540054;
        double n = trials, p = (double)successes / trials;
        var centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n);
        var half = Z * Math.Sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n);
        return new PrecisionInterval(Math.Round(Math.Max(0, centre - half), 4), Math.Round(Math.Min(1, centre + half), 4));
    }

    private static PerformanceRow Row(string? workflow, string? rule, string cause, long hits, IReadOnlyDictionary<string, long> confirmedAs)
    {
        var withOutcome = confirmedAs.Values.Sum();
        var confirmed = confirmedAs.GetValueOrDefault(cause);
        var instead = confirmedAs.Where(c => !string.Equals(c.Key, cause, StringComparison.Ordinal))
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return new PerformanceRow(workflow, rule, cause, hits, withOutcome, confirmed,
            withOutcome == 0 ? null : Math.Round((double)confirmed / withOutcome, 4), Wilson(confirmed, withOutcome), instead);
    }
}
