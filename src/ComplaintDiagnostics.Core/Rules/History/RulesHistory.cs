using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Core.Rules.History;

/// <summary>The history of the rules as <c>GET /api/v1/rules/history</c> shows it.</summary>
/// <param name="Source"><c>git</c> when the rules folder is in a Git working tree (the commits are the same on every
/// replica and survive a restart), else <c>memory</c>.</param>
/// <param name="Folder">The rules folder's path in the repository, for <c>git</c>.</param>
/// <param name="Commits">Newest first: the commits that touched the rules folder.</param>
/// <param name="Loaded">Newest first: the versions this process accepted since it started (per replica, gone on restart).</param>
/// <param name="Note">Why Git history is not shown although the folder is in a repository (git failed).</param>
public sealed record RulesHistoryView(
    string Source, string? Folder, IReadOnlyList<RuleCommit>? Commits, IReadOnlyList<RuleSetHistoryEntry> Loaded, string? Note = null);

/// <summary>Chooses where the history comes from: the Git repository around the rules folder when there is one
/// (found once, at first use), else the service's memory.</summary>
public sealed partial class RulesHistory(RuleSetHolder holder, IOptions<RulesOptions> options, ILogger<RulesHistory> logger)
{
    private readonly Lazy<GitRules?> _git = new(() => GitRules.Find(options.Value.FullPath));

    public RulesHistoryView Get()
    {
        var loaded = holder.History;
        if (_git.Value is not { } git)
        {
            return new RulesHistoryView("memory", null, null, loaded);
        }
        try
        {
            return new RulesHistoryView("git", git.Prefix, git.Log(options.Value.HistorySize), loaded);
        }
        catch (GitRulesException ex)
        {
            LogGitFailed(Contracts.Privacy.Clean(ex.Message));
            return new RulesHistoryView("memory", git.Prefix, null, loaded, $"git log failed: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rules history falls back to memory: {Reason}")]
    private partial void LogGitFailed(string reason);
}
