using System.Collections.Concurrent;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>The rule sets decisions were made with, kept in the store before the first decision of each (so a decision's
/// table can be shown as it stood), written by the recorder's loop, never on a request's thread.</summary>
public sealed partial class DecisionRecorder
{
    private readonly ConcurrentDictionary<string, Func<(string Files, string? GitCommit)>> _ruleSetsToKeep = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ruleSetsKept = new(StringComparer.Ordinal);

    /// <summary>Asks for a rule set's files (and its Git commit, when known) to be kept once, the first time a decision of
    /// its version is recorded; worked out on the writer's thread, never the request's.</summary>
    public void KeepRuleSet(string version, Func<(string Files, string? GitCommit)> files)
    {
        if (!_ruleSetsKept.ContainsKey(version))
        {
            _ruleSetsToKeep.TryAdd(version, files);
        }
    }

    private async Task KeepRuleSetsAsync()
    {
        foreach (var (version, files) in _ruleSetsToKeep)
        {
            try
            {
                var (json, commit) = files();
                await _store.KeepRuleSetAsync(version, json, commit, _time.GetUtcNow(), CancellationToken.None);
                _ruleSetsKept[version] = true;
                _ruleSetsToKeep.TryRemove(version, out _);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(ex);
                return;
            }
        }
    }
}
