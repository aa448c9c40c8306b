using ComplaintDiagnostics.Cli.Replay;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>A replay on several cores shows one progress bar: the byte ranges' progress added up.</summary>
public sealed class CombinedProgressTests
{
    private sealed class Last : IProgress<ReplayProgress>
    {
        public List<ReplayProgress> Seen { get; } = [];

        public void Report(ReplayProgress value) => Seen.Add(value);
    }

    [Fact]
    public void EachRangesLatestProgressIsAddedUp()
    {
        var outer = new Last();
        var combined = new ReplayRun.CombinedProgress(outer, parts: 2);

        combined.Part(0).Report(new ReplayProgress(100, 10, TotalBytes: 500));
        combined.Part(1).Report(new ReplayProgress(300, 30, TotalBytes: 700));
        combined.Part(0).Report(new ReplayProgress(500, 50, TotalBytes: 500));

        // Bytes and tickets summed over the ranges; the total stays the caller's (the whole file's length).
        Assert.Equal([new ReplayProgress(100, 10), new ReplayProgress(400, 40), new ReplayProgress(800, 80)], outer.Seen);
    }
}
