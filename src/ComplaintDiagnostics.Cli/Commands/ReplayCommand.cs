using System.Text.Json;
using ComplaintDiagnostics.Cli.Replay;
using ComplaintDiagnostics.Client;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using Spectre.Console;

namespace ComplaintDiagnostics.Cli.Commands;

internal sealed record ReplayOptions(
    FileInfo Tickets,
    DirectoryInfo Rules,
    Uri? Server,
    string? Baseline,
    FileInfo? Json,
    FileInfo? Html,
    double? MinAgreement,
    bool AllowRegression,
    Shard? Shard = null,
    int? Workers = null,
    double MaxUnreadablePercent = 0,
    string? FromStore = null,
    string? Since = null);

/// <summary>
/// <c>replay</c>: historical tickets (with their confirmed cause) through the rules, in process or against a
/// running service; optionally also through a baseline rule set, to see what an edit would change.
/// Exit 0 when the run completed (and the gates below hold), 1 when agreement is under --min-agreement
/// or a cause's agreement drops against the baseline, 2 for usage errors or unreadable input.
/// </summary>
internal sealed partial class ReplayCommand(ConsoleOutput console, TimeProvider time, Diagnoser diagnoser)
{
    public async Task<int> RunAsync(ReplayOptions options, CancellationToken cancellationToken) =>
        (await ReplayHistoryAsync(options, cancellationToken)).Code;

    /// <returns>The exit code, and a one-line summary of the run for <c>check</c> (null when it did not run).</returns>
    /// <returns>The exit code, the one-line summary, and the causes whose regression --allow-regression let through.</returns>
    /// <param name="record">The decision record to replay instead of the tickets file (<c>--from-store</c>).</param>
    public async Task<(int Code, string? Summary, IReadOnlyList<string> AcceptedRegressions)> ReplayAsync(ReplayOptions options, CancellationToken cancellationToken,
        StoreHistory? record = null)
    {
        var source = record?.Description ?? $"'{options.Tickets.FullName}'";
        if (record is null && !options.Tickets.Exists)
        {
            await console.Error.WriteLineAsync($"Cannot read the tickets file '{options.Tickets.FullName}'.");
            return (ExitCodes.Usage, null, []);
        }
        if (options.MinAgreement is < 0 or > 100)
        {
            await console.Error.WriteLineAsync("--min-agreement is a percentage from 0 to 100.");
            return (ExitCodes.Usage, null, []);
        }
        if (record is null && TicketFiles.NotText(options.Tickets) is { } notText)
        {
            await console.Error.WriteLineAsync($"Replay stopped: '{options.Tickets.FullName}' {notText}");
            return (ExitCodes.Usage, null, []);
        }
        using var http = options.Server is null ? null : new HttpClient();
        IPredictor? predictor = options.Server is null
            ? await LoadAsync(RuleFolder.Read(options.Rules, console), options.Rules.FullName, cancellationToken)
            : new RemotePredictor(ComplaintDiagnosticsClient.Create(Configure(http!, options.Server)));
        IPredictor? baseline = options.Baseline is null ? null
            : await LoadAsync(RuleFolder.ReadBaseline(options.Baseline, options.Rules, console), options.Baseline, cancellationToken);
        if (predictor is null || (options.Baseline is not null && baseline is null))
        {
            return (ExitCodes.Usage, null, []);
        }

        ReplayRun run;
        try
        {
            if (predictor is RemotePredictor remote)
            {
                await remote.ReadCausesAsync(cancellationToken);
            }
            var workers = options.Workers ?? Environment.ProcessorCount;
            if (record is not null)
            {
                run = await record.ReplayAsync(predictor, baseline, Math.Max(1, workers), cancellationToken);
            }
            else if (options.Shard is null && options.Server is null && !TicketReader.IsCsv(options.Tickets.Name) && workers > 1)
            {
                // Every core, each on a byte range of the file, merged into the single run's report.
                run = await WithProgressAsync(options.Tickets.Length, progress =>
                    ReplayRun.RunParallelAsync(options.Tickets.FullName, predictor, baseline, workers, cancellationToken, progress));
            }
            else
            {
                await using var input = options.Tickets.OpenRead();
                run = await WithProgressAsync(input.Length, progress =>
                    ReplayRun.RunAsync(input, TicketReader.IsCsv(options.Tickets.Name), predictor, baseline, progress, cancellationToken, options.Shard));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or HttpRequestException or Refit.ApiException or Refit.ApiRequestException)
        {
            await console.Error.WriteLineAsync($"Replay stopped: {ex.Message}");
            return (ExitCodes.Usage, null, []);
        }

        using (run)
        {
            if (record is not null)
            {
                await console.Out.WriteLineAsync($"Decision record: {run.Lines:N0} recorded complaints with a confirmed cause{(options.Since is null ? "" : $" since {options.Since}")}.");
            }
            run.Causes = predictor.Causes;
            run.BaselineCauses = baseline?.Causes;
            if (!await ReportAsync(run, options))
            {
                return (ExitCodes.Usage, null, []);
            }
            if (run.Tally.Evaluated == 0 && options.Shard is null)
            {
                // "0 of 0, agreement —" with exit 0 is how a history in the wrong format used to pass a gate.
                await console.Error.WriteLineAsync(run.Lines == 0
                    ? $"Replay stopped: no record in {source}: nothing was replayed. Is it the {(record is null ? "export" : "record")} you meant?"
                    : $"Replay stopped: none of the {run.Lines:N0} records of {source} could be replayed (see the malformed lines above).");
                return (ExitCodes.Usage, null, []);
            }
            var summary = $"{run.Tally.Evaluated:N0} tickets, agreement {run.Tally.Agreement:0.0}%" + (run.Comparison is { } cmp
                ? $"; {cmp.ChangedCount:N0} change their answer against {options.Baseline}"
                    + (cmp.ChangedParts.Count > 0 ? $" ({string.Join(", ", cmp.ChangedParts.Select(p => $"{p.Key} {p.Value:N0}"))})" : "")
                : "");
            var accepted = options.AllowRegression ? run.CauseChanges.Where(c => c.Regressed).Select(c => c.Cause).ToList() : [];
            return (await GateAsync(run, options), summary + (accepted.Count > 0 ? $"; regression accepted: {string.Join(", ", accepted)}" : ""), accepted);
        }
    }

    /// <summary><c>replay merge</c>: the shards' JSON reports as the one report of the whole history, with the same gates.</summary>
    public async Task<int> MergeAsync(IReadOnlyList<FileInfo> reports, ReplayOptions options)
    {
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var report in reports)
            {
                // A shard's report is a few megabytes; a path that is no such file (a device, a folder) is refused, not read.
                if (!report.Exists || report.Length > MaxShardReportBytes)
                {
                    await console.Error.WriteLineAsync($"Cannot merge: '{report.FullName}' is no shard report (missing, not a regular file, or over {MaxShardReportBytes / (1 << 20)} MB).");
                    return ExitCodes.Usage;
                }
                await using var stream = report.OpenRead();
                documents.Add(await JsonDocument.ParseAsync(stream));
            }
            using var run = ReplayMerge.Merge([.. documents.Select(d => ShardResult.Of(d.RootElement))]);
            if (!await ReportAsync(run, options))
            {
                return ExitCodes.Usage;
            }
            if (run.Tally.Evaluated == 0)
            {
                await console.Error.WriteLineAsync($"Cannot merge into a report: none of the {run.Lines:N0} records of the shards was replayed.");
                return ExitCodes.Usage;
            }
            return await GateAsync(run, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or KeyNotFoundException
            or InvalidOperationException or FormatException or OverflowException)
        {
            await console.Error.WriteLineAsync(ex is KeyNotFoundException or FormatException or OverflowException or InvalidOperationException
                ? "Cannot merge: a report is no shard report of this version (a field is missing or not a whole number); replay that shard again."
                : $"Cannot merge: {ex.Message}");
            return ExitCodes.Usage;
        }
        finally
        {
            documents.ForEach(d => d.Dispose());
        }
    }

    /// <summary>The largest shard report merged: a million tickets' report is a few megabytes.</summary>
    private const long MaxShardReportBytes = 1L << 30;

    /// <returns>False when a report file could not be written (a full disk, a path that is a folder): said, exit 2.</returns>
    private async Task<bool> ReportAsync(ReplayRun run, ReplayOptions options)
    {
        ConsoleReport.Write(console.Out, run);
        foreach (var (file, what, write) in new (FileInfo?, string, Func<string, ReplayRun, Task>)[]
        {
            (options.Json, "JSON", JsonReport.WriteAsync), (options.Html, "HTML", HtmlReport.WriteAsync),
        })
        {
            if (file is null)
            {
                continue;
            }
            try
            {
                await write(file.FullName, run);
                await console.Out.WriteLineAsync($"{what} report: {file.FullName}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"Cannot write the {what} report to '{file.FullName}': {ex.Message}");
                return false;
            }
        }
        return true;
    }

    private async Task<int> GateAsync(ReplayRun run, ReplayOptions options)
    {
        if (run.UnreadableCount > 0 && run.UnreadableCount * 100.0 > options.MaxUnreadablePercent * run.Lines)
        {
            // Records lost to quoting take others with them unseen: agreement on what is left says nothing of the file.
            await console.Out.WriteLineAsync($"FAILED: {run.UnreadableCount:N0} of {run.Lines:N0} records could not be read at all ({run.UnreadableLines:N0} lines; "
                + $"see the malformed lines above), more than --max-unreadable-percent {options.MaxUnreadablePercent:0.##}%. Fix the file, or raise the limit "
                + "to replay what can be read.");
            return ExitCodes.Usage;
        }
        var code = ExitCodes.Clean;
        if (options.MinAgreement is { } min && run.Tally.Agreement < min)
        {
            await console.Out.WriteLineAsync($"FAILED: agreement {run.Tally.Agreement:0.0}% is below --min-agreement {min:0.0}%.");
            code = ExitCodes.Findings;
        }
        var regressions = run.CauseChanges.Where(c => c.Regressed).Select(c => c.Cause).ToList();
        if (regressions.Count > 0)
        {
            if (options.AllowRegression)
            {
                await console.Out.WriteLineAsync($"Agreement drops for {string.Join(", ", regressions)} (allowed by --allow-regression).");
            }
            else
            {
                await console.Out.WriteLineAsync($"FAILED: agreement drops for {string.Join(", ", regressions)}; pass --allow-regression to accept.");
                code = ExitCodes.Findings;
            }
        }
        return code;
    }

    private async Task<IPredictor?> LoadAsync(RuleSources? sources, string name, CancellationToken cancellationToken)
    {
        if (sources is null)
        {
            return null;
        }
        var build = await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken);
        if (build.RuleSet is null)
        {
            await console.Error.WriteLineAsync($"The rules in '{name}' do not load:");
            foreach (var problem in build.Errors)
            {
                await console.Error.WriteLineAsync("  " + problem);
            }
            return null;
        }
        return new InProcessPredictor(build.RuleSet, diagnoser);
    }

    private static HttpClient Configure(HttpClient client, Uri server)
    {
        client.BaseAddress ??= server;
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }

    /// <summary>A progress bar with rate and ETA on an interactive terminal; nothing when output is redirected.</summary>
    private static async Task<ReplayRun> WithProgressAsync(long totalBytes, Func<IProgress<ReplayProgress>?, Task<ReplayRun>> replay)
    {
        if (System.Console.IsErrorRedirected || totalBytes < 1_000_000)
        {
            return await replay(null);
        }
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        return await terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Replaying", maxValue: totalBytes);
                var started = DateTime.UtcNow;
                var progress = new Progress<ReplayProgress>(p =>
                {
                    if (p.TotalBytes > 0)
                    {
                        task.MaxValue = p.TotalBytes;
                    }
                    task.Value = p.BytesRead;
                    var rate = p.Tickets / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                    task.Description = $"{p.Tickets:N0} tickets, {rate:N0}/s";
                });
                return await replay(progress);
            });
    }
}
