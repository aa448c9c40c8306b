using System.Collections.Concurrent;
using System.Text.Json;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>
/// The rule sets decisions were made with, by version: the one in service, or one the record kept (each version's
/// files are kept once, the first time a decision of it is recorded) compiled again by the same compiler. A few
/// are kept compiled; an old version asked for again is compiled again.
/// </summary>
internal sealed class RuleSetArchive(IDecisionStore store, RuleSetHolder holder, TimeProvider time)
{
    private const int Kept = 4;
    private readonly ConcurrentDictionary<string, Lazy<Task<RuleSet?>>> _compiled = new(StringComparer.Ordinal);

    /// <summary>The rule set of <paramref name="version"/>, or null when the record does not hold its files.</summary>
    public Task<RuleSet?> AtAsync(string version, CancellationToken cancellationToken)
    {
        if (holder.Current is { } current && string.Equals(current.Version, version, StringComparison.Ordinal))
        {
            return Task.FromResult<RuleSet?>(current);
        }
        if (_compiled.Count >= Kept)
        {
            _compiled.Clear();
        }
        // Compiled for whoever asks next as well: not under one request's token, and a failure is not kept.
        return _compiled.GetOrAdd(version, v => new Lazy<Task<RuleSet?>>(() => CompileAsync(v))).Value.WaitAsync(cancellationToken);
    }

    private async Task<RuleSet?> CompileAsync(string version)
    {
        try
        {
            if (await store.RuleSetAsync(version, CancellationToken.None) is not { } json
                || JsonSerializer.Deserialize<Dictionary<string, string>>(json) is not { } files)
            {
                _compiled.TryRemove(version, out _);
                return null;
            }
            var build = await RuleSetCompiler.CompileAsync(new RuleSources(files), time.GetUtcNow(), CancellationToken.None);
            return build.RuleSet;
        }
        catch
        {
            _compiled.TryRemove(version, out _);
            throw;
        }
    }
}
