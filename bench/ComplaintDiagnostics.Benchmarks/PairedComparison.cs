using System.Diagnostics;
using System.Globalization;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>
/// The per-diagnosis comparison again, measured in pairs. BenchmarkDotNet runs one benchmark after another, so
/// on a shared machine a burst of someone else's load lands on one of them and moves the ratio (short runs put
/// the raw engine's own cancellable overload anywhere from 1.0 to 1.6 times the plain one). Here each sample
/// runs the two sides back to back, alternating which goes first, and the ratio is taken within the pair; the
/// median of many pairs is what a drifting machine cannot move.
/// </summary>
internal static class PairedComparison
{
    private const int WarmupPairs = 100;

    public static async Task RunAsync(int pairs)
    {
        var b = new DiagnoseBenchmarks();
        b.Setup();
        (string Name, Func<Task<int>> Run)[] sides =
        [
            ("(a') raw RulesEngine, cancellable", b.RawEngineCancellable),
            ("(b) service core path", b.CorePath),
            ("(b') service core path, no budget", b.CorePathNoBudget),
            ("(b'') service core path, rule by rule (not folded)", b.CorePathRuleByRule),
            ("(c) hand-written floor", () => Task.FromResult(b.HandWritten())),
        ];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Paired against (a) raw RulesEngine: {pairs} pairs each, 256 diagnoses per sample, order alternating."));
        Console.WriteLine("| compared with (a) | median time ratio | middle half of pairs | allocated per diagnosis (a) → this | allocation ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, run) in sides)
        {
            var ratios = new List<double>(pairs);
            long rawBytes = 0, sideBytes = 0;
            for (var i = 0; i < WarmupPairs + pairs; i++)
            {
                double tRaw, tSide;
                long bRaw, bSide;
                if (i % 2 == 0)
                {
                    (tRaw, bRaw) = await Time(b.RawEngine);
                    (tSide, bSide) = await Time(run);
                }
                else
                {
                    (tSide, bSide) = await Time(run);
                    (tRaw, bRaw) = await Time(b.RawEngine);
                }
                if (i >= WarmupPairs)
                {
                    ratios.Add(tSide / tRaw);
                    rawBytes += bRaw;
                    sideBytes += bSide;
                }
            }
            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {ratios[pairs / 2]:F3} | {ratios[pairs / 4]:F3}–{ratios[3 * pairs / 4]:F3} | {rawBytes / pairs / 256:N0} B → {sideBytes / pairs / 256:N0} B | {(double)sideBytes / rawBytes:F3} |"));
        }
    }

    private static async Task<(double Elapsed, long Bytes)> Time(Func<Task<int>> run)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        await run();
        return (Stopwatch.GetElapsedTime(started).TotalNanoseconds, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }
}
