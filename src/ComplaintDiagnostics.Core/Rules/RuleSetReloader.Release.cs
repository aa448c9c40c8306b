using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Rules.History;
using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Release mode (<c>Rules:Source=release</c>): the rules in service are the active release of the rules
/// repository, read from Git at its commit on every poll; an unreachable repository keeps the release in service. The
/// newest release not in service and the one last replaced are kept compiled and warm, so activating the next release or
/// rolling back is a swap at the next poll, not a compile under load.</summary>
public sealed partial class RuleSetReloader
{
    private const int MostPrepared = 3;
    private RulesRepository? _repository;

    // Compiled releases by commit, used only under the reload lock: the next to activate and the last replaced.
    private readonly Dictionary<string, RuleSet> _prepared = new(StringComparer.Ordinal);

    /// <summary>Reloads at once (after an activation made here) instead of at the next poll.</summary>
    public void Nudge() => _changes.Writer.TryWrite(true);

    private async Task ReloadReleaseAsync(CancellationToken cancellationToken)
    {
        Release release;
        Release? next;
        RuleSources? sources = null;
        try
        {
            (release, next) = await Task.Run(ActiveRelease, cancellationToken).ConfigureAwait(false);
            if ($"release:{release.Number}:{release.Commit}" == _lastTriedVersion && holder.Current?.Release == release.Number)
            {
                await PrepareAsync(next, cancellationToken).ConfigureAwait(false);
                return; // The usual poll: two git calls, nothing read.
            }
            if (_prepared.Remove(release.Commit, out var prepared))
            {
                Serve(prepared, release, null);
                return;
            }
            sources = await Task.Run(() => _repository!.ReadRules(release.Commit), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GitRulesException or IOException or System.ComponentModel.Win32Exception or System.Text.Json.JsonException)
        {
            var key = "unreadable:" + ex.Message;
            if (key != _lastTriedVersion)
            {
                _lastTriedVersion = key;
                await RefuseAsync(null, [new RuleProblem(Options.Repository, null, null, null, $"the rules repository cannot be read: {ex.Message}")])
                    .ConfigureAwait(false);
                LogRepositoryUnreadable(Contracts.Privacy.Clean(ex.Message), holder.Current?.Version ?? "nothing");
            }
            return;
        }
        _lastTriedVersion = $"release:{release.Number}:{release.Commit}";
        var build = await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (build.RuleSet is { } ruleSet)
        {
            Serve(ruleSet, release, sources);
        }
        else
        {
            // A release was checked when it was approved; this build of the service may read rules differently.
            await RefuseAsync(sources.Version, build.Problems).ConfigureAwait(false);
            LogRefused(sources.Version, build.Problems.Count, holder.Current?.Version ?? "nothing", new ProblemList(build.Problems));
        }
    }

    /// <summary>Puts a compiled release in service, keeping the one it replaces compiled for a rollback.</summary>
    private void Serve(RuleSet ruleSet, Release release, RuleSources? sources)
    {
        _lastTriedVersion = $"release:{release.Number}:{release.Commit}";
        if (holder.Current is { Commit: { } replaced } current && replaced != release.Commit)
        {
            Keep(replaced, current);
        }
        ruleSet.Release = release.Number;
        ruleSet.Commit = release.Commit;
        holder.Accept(ruleSet, time.GetUtcNow());
        metrics.Reloaded(accepted: true);
        LogReleaseInService(release.Number, ruleSet.Version);
        SaveLastGoodCopy(sources ?? ruleSet.Sources);
    }

    /// <summary>Compiles and warms the newest release not in service, once, so that its activation is a swap.</summary>
    private async Task PrepareAsync(Release? next, CancellationToken cancellationToken)
    {
        if (next is null || _prepared.ContainsKey(next.Commit) || holder.Current?.Commit == next.Commit)
        {
            return;
        }
        try
        {
            var sources = await Task.Run(() => _repository!.ReadRules(next.Commit), cancellationToken).ConfigureAwait(false);
            if ((await RuleSetCompiler.CompileAsync(sources, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)).RuleSet is { } ruleSet)
            {
                Keep(next.Commit, ruleSet);
            }
        }
        catch (GitRulesException)
        {
            // Read again when it is activated, and refused then with its reason.
        }
    }

    private void Keep(string commit, RuleSet ruleSet)
    {
        while (_prepared.Count >= MostPrepared)
        {
            _prepared.Remove(_prepared.Keys.First());
        }
        _prepared[commit] = ruleSet;
    }

    /// <summary>
    /// A repository on this machine's disk (replicas sharing it, as deploy/local's): file events on its branches, so an
    /// activation or a rollback made through any replica is read at once instead of at the next poll (git moves a branch by
    /// renaming its lock file over it). A shared repository on a Git server (<c>Rules:Remote</c>) sends none: it is polled.
    /// </summary>
    private FileSystemWatcher? TryWatchRepository()
    {
        if (Options.Remote.Length > 0)
        {
            return null;
        }
        var root = Options.RepositoryFullPath;
        var branches = Path.Combine(Directory.Exists(Path.Combine(root, ".git")) ? Path.Combine(root, ".git") : root, "refs", "heads");
        return TryWatch(branches, subfolders: false, name => name is "lifecycle" or "active");
    }

    /// <summary>The active release, and the newest release that is not (the next to activate); at the first start with none,
    /// the default branch's head becomes release 1.</summary>
    private (Release Active, Release? Next) ActiveRelease()
    {
        var repository = _repository ??= RulesRepository.Open(Options.RepositoryFullPath, Options.Remote);
        repository.Sync();
        var (_, state) = repository.ReadState();
        var active = state.ActiveRelease;
        if (active is null)
        {
            var head = repository.CommitOf("HEAD")
                ?? throw new GitRulesException($"the rules repository {Options.Repository} has no commit on its default branch to make release 1 of.");
            repository.ReadRules(head); // Rules that cannot be read are no release.
            active = repository.Change("complaint-diagnostics", time.GetUtcNow(),
                s => LifecycleTransitions.FirstRelease(s, head, repository.AuthorsOf(head), "complaint-diagnostics", time.GetUtcNow()));
        }
        return (active, state.Releases.Where(r => r.Number != active.Number).MaxBy(r => r.Number));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {Release} in service (rules {Version})")]
    private partial void LogReleaseInService(int release, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules repository unreadable ({Reason}); still serving {ServingVersion}")]
    private partial void LogRepositoryUnreadable(string reason, string servingVersion);
}
