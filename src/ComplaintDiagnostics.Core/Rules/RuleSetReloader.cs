using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// Loads the rules folder at start and again whenever it changes: file events for speed, polling as a
/// safety net. Each reload compiles and warms a brand-new rule set off the request path and swaps it in
/// only when it is valid; a refused edit leaves the rule set in service untouched.
/// </summary>
public sealed partial class RuleSetReloader(
    RuleSetHolder holder,
    IOptions<RulesOptions> options,
    TimeProvider time,
    ILogger<RuleSetReloader> logger,
    Diagnosis.DiagnosisMetrics metrics) : BackgroundService
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private FileSystemWatcher? _watcher;
    private string? _lastTriedVersion;
    private readonly LastGoodCopy _lastGood = new(options.Value.LastGoodPath);

    private RulesOptions Options => options.Value;

    /// <summary>Loads the rules before the host starts serving, so a valid rule set is warm at ready.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _watcher = TryWatch();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _reloading.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads the folder and, when its content differs from what was last tried, compiles it and
    /// puts it into service if valid. Never throws for anything in or about the folder: whatever goes wrong is a
    /// refused attempt, with its reason in the status, the log and the refused counter.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await (Options.IsReleaseMode ? ReloadReleaseAsync(cancellationToken) : ReloadOnceAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A reload that fails in an unforeseen way is refused, never a crash of the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await RefuseAsync(_lastTriedVersion, [new RuleProblem(Options.Path, null, null, null, $"the rules could not be loaded ({ex.GetType().Name}: {ex.Message}).")]).ConfigureAwait(false);
            LogReloadFailed(ex);
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task ReloadOnceAsync(CancellationToken cancellationToken)
    {
        RuleSources sources;
        try
        {
            sources = await RuleSources.ReadFolderAsync(Options.FullPath, Options.ReadLimits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var key = "unreadable:" + ex.Message;
            if (key != _lastTriedVersion)
            {
                _lastTriedVersion = key;
                var problem = ex is Files.FolderReadException { File: { } file } refused
                    ? new RuleProblem(file, null, null, null, refused.Reason)
                    : new RuleProblem(Options.Path, null, null, null, $"the rules folder cannot be read: {ex.Message}");
                await RefuseAsync(null, [problem]).ConfigureAwait(false);
                LogUnreadable(Contracts.Privacy.Clean(ex.Message), holder.Current?.Version ?? "nothing");
            }
            return;
        }
        if (sources.Version == _lastTriedVersion)
        {
            return;
        }
        var (settled, build) = await SettleAndCompileAsync(sources, cancellationToken).ConfigureAwait(false);
        sources = settled;
        _lastTriedVersion = sources.Version;
        if (build.RuleSet is { } ruleSet)
        {
            holder.Accept(ruleSet, time.GetUtcNow());
            metrics.Reloaded(accepted: true);
            if (ruleSet.Warnings.Count == 0)
            {
                LogAccepted(ruleSet.Version);
            }
            else
            {
                // Accepted, and serving: but a rule that can never win is almost always a slip (a condition deleted at
                // 2 a.m.), so whoever watches the log sees each finding, not only /rules/status.
                LogAcceptedWithWarnings(ruleSet.Version, ruleSet.Warnings.Count, new ProblemList(ruleSet.Warnings));
            }
            SaveLastGoodCopy(sources);
        }
        else
        {
            await RefuseAsync(sources.Version, build.Problems).ConfigureAwait(false);
            LogRefused(sources.Version, build.Problems.Count, holder.Current?.Version ?? "nothing", new ProblemList(build.Problems));
        }
    }

    /// <summary>Records a refused attempt; at start (nothing in service yet) falls back to the last-good copy.</summary>
    private async Task RefuseAsync(string? version, IReadOnlyList<RuleProblem> problems)
    {
        holder.Refuse(version, problems, time.GetUtcNow());
        metrics.Reloaded(accepted: false);
        if (holder.Current is null && _lastGood.TryLoad() is { } copy)
        {
            // Compiled like any rule set; the copy was accepted once, but this build of the service may differ.
            var build = await RuleSetCompiler.CompileAsync(copy, time.GetUtcNow()).ConfigureAwait(false);
            if (build.RuleSet is { } ruleSet)
            {
                holder.AcceptLastGoodCopy(ruleSet, time.GetUtcNow());
                LogServingLastGood(ruleSet.Version, _lastGood.Path!);
            }
        }
    }

    private void SaveLastGoodCopy(RuleSources sources)
    {
        try
        {
            _lastGood.Save(sources);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogLastGoodNotSaved(_lastGood.Path!, ex.Message);
        }
    }

    /// <summary>
    /// Compiles what was read while <see cref="SettleAsync"/> waits for the folder to be quiet: an edit that was
    /// complete when it was read (the usual case, and every start) is compiled by the time the debounce ends
    /// instead of a debounce later. When the folder changed meanwhile, that compile is dropped and the settled
    /// content is compiled instead, so what is served is still only ever a settled read.
    /// </summary>
    private async Task<(RuleSources Sources, RuleSetBuild Build)> SettleAndCompileAsync(RuleSources read, CancellationToken cancellationToken)
    {
        using var early = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var compiling = Task.Run(() => RuleSetCompiler.CompileAsync(read, time.GetUtcNow(), early.Token), early.Token);
        RuleSources settled;
        try
        {
            settled = await SettleAsync(read, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Stopping (or anything else): the early compile must not outlive its token source.
            await DropAsync().ConfigureAwait(false);
            throw;
        }
        if (settled.Version == read.Version)
        {
            return (settled, await compiling.ConfigureAwait(false));
        }
        await DropAsync().ConfigureAwait(false);
        return (settled, await RuleSetCompiler.CompileAsync(settled, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));

        async Task DropAsync()
        {
            await early.CancelAsync().ConfigureAwait(false);
            // Observed, so that the dropped compile never surfaces as an unobserved task exception.
            await compiling.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Re-reads the folder until two reads a debounce apart agree, so that an edit spanning several files
    /// (or a poll that lands between two saves) is taken whole, never half of it.
    /// </summary>
    private async Task<RuleSources> SettleAsync(RuleSources sources, CancellationToken cancellationToken)
    {
        // A release moves its branches in one transaction: nothing to wait out, unlike a save of several files.
        var quiet = Options.IsReleaseMode ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Options.DebounceMilliseconds);
        for (var attempt = 0; attempt < 20 && quiet > TimeSpan.Zero; attempt++)
        {
            // Real time, not the injected clock: this waits for file writes, not for business deadlines.
            await Task.Delay(quiet, cancellationToken).ConfigureAwait(false);
            RuleSources again;
            try
            {
                again = await RuleSources.ReadFolderAsync(Options.FullPath, Options.ReadLimits, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                break;
            }
            if (again.Version == sources.Version)
            {
                break;
            }
            sources = again;
        }
        return sources;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = Options.PollSeconds > 0 ? TimeSpan.FromSeconds(Options.PollSeconds) : Timeout.InfiniteTimeSpan;
        // A release moves its branches in one transaction: nothing to wait out, unlike a save of several files.
        var quiet = Options.IsReleaseMode ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Options.DebounceMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await WaitForChangeAsync(poll, stoppingToken).ConfigureAwait(false))
                {
                    // Debounce: let a multi-file save finish before reading any of it.
                    while (await WaitForChangeAsync(quiet, stoppingToken).ConfigureAwait(false))
                    {
                    }
                }
                await ReloadAsync(stoppingToken).ConfigureAwait(false);
                _watcher ??= TryWatch();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The watcher must outlive any single failed reload; the failure is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogReloadFailed(ex);
            }
        }
    }

    /// <summary>True when a change was signalled within <paramref name="timeout"/>, false when it elapsed.</summary>
    private async Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timer.CancelAfter(timeout);
        }
        try
        {
            await _changes.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
