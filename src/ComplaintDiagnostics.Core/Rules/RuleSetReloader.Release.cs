using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Rules.History;
using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Release mode (<c>Rules:Source=release</c>): the rules in service are the active release of the rules
/// repository, read from Git at its commit on every poll; an unreachable repository keeps the release in service.</summary>
public sealed partial class RuleSetReloader
{
    private RulesRepository? _repository;

    /// <summary>Reloads at once (after an activation made here) instead of at the next poll.</summary>
    public void Nudge() => _changes.Writer.TryWrite(true);

    private async Task ReloadReleaseAsync(CancellationToken cancellationToken)
    {
        Release release;
        RuleSources? sources = null;
        try
        {
            release = await Task.Run(ActiveRelease, cancellationToken).ConfigureAwait(false);
            if ($"release:{release.Number}:{release.Commit}" == _lastTriedVersion && holder.Current?.Release == release.Number)
            {
                return; // The usual poll: two git calls, nothing read.
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
            ruleSet.Release = release.Number;
            ruleSet.Commit = release.Commit;
            holder.Accept(ruleSet, time.GetUtcNow());
            metrics.Reloaded(accepted: true);
            LogReleaseInService(release.Number, ruleSet.Version);
            SaveLastGoodCopy(sources);
        }
        else
        {
            // A release was checked when it was approved; this build of the service may read rules differently.
            await RefuseAsync(sources.Version, build.Problems).ConfigureAwait(false);
            LogRefused(sources.Version, build.Problems.Count, holder.Current?.Version ?? "nothing", new ProblemList(build.Problems));
        }
    }

    /// <summary>The active release; at the first start with none, the default branch's head becomes release 1.</summary>
    private Release ActiveRelease()
    {
        var repository = _repository ??= RulesRepository.Open(Options.RepositoryFullPath);
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
        return active;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {Release} in service (rules {Version})")]
    private partial void LogReleaseInService(int release, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules repository unreadable ({Reason}); still serving {ServingVersion}")]
    private partial void LogRepositoryUnreadable(string reason, string servingVersion);
}
