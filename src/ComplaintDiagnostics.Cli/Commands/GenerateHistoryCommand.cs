using ComplaintDiagnostics.Cli.Replay;
using ComplaintDiagnostics.Samples;

namespace ComplaintDiagnostics.Cli.Commands;

/// <summary><c>generate-history</c>: a synthetic ticket history for trying replay and for benchmarks.</summary>
internal sealed class GenerateHistoryCommand(ConsoleOutput console)
{
    public async Task<int> RunAsync(FileInfo output, int count, int seed, double wrongRate)
    {
        if (count < 1 || wrongRate is < 0 or > 1)
        {
            await console.Error.WriteLineAsync("--count must be at least 1 and --wrong-rate between 0 and 1.");
            return ExitCodes.Usage;
        }
        await using (var writer = new StreamWriter(output.FullName))
        {
            await SyntheticHistory.WriteAsync(writer, SyntheticHistory.Generate(count, seed, wrongRate), TicketReader.IsCsv(output.Name));
        }
        await console.Out.WriteLineAsync($"Wrote {count:N0} tickets to {output.FullName} (seed {seed}, about {wrongRate:P0} with a confirmed cause the procedure would not give).");
        return ExitCodes.Clean;
    }
}
