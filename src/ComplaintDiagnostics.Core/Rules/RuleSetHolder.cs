using ComplaintDiagnostics.Core.Rules.History;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The outcome of the last attempt to load the rules folder.</summary>
/// <param name="At">When the attempt finished.</param>
/// <param name="Accepted">Whether the rule set went into service.</param>
/// <param name="Version">The content version of the files that were tried.</param>
/// <param name="Problems">Why it was refused; for an accepted rule set, its warnings.</param>
public sealed record LoadAttempt(DateTimeOffset At, bool Accepted, string? Version, IReadOnlyList<RuleProblem> Problems);

/// <summary>
/// The one reference to the rule set in service. A request reads it once and answers from that snapshot
/// to the end, so a swap in the middle of a request cannot mix two versions.
/// </summary>
public sealed class RuleSetHolder(IOptions<RulesOptions> options)
{
    private readonly Lock _historyLock = new();
    private readonly LinkedList<RuleSetHistoryEntry> _history = new();
    private RuleSet? _current;
    private LoadAttempt? _lastAttempt;
    private long _refused;

    /// <summary>The rule set in service, or null until a valid one has loaded.</summary>
    public RuleSet? Current => Volatile.Read(ref _current);

    public LoadAttempt? LastAttempt => Volatile.Read(ref _lastAttempt);

    /// <summary>The last refused attempt, kept after later successes so its errors stay visible.</summary>
    public LoadAttempt? LastRefused { get; private set; }

    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <summary>True while the rule set in service is the last-good copy from disk, taken at start because the
    /// folder was refused; false again once the folder itself is accepted.</summary>
    public bool ServingLastGoodCopy { get; private set; }

    /// <summary>The last accepted versions, newest first, each with what it changed.</summary>
    public IReadOnlyList<RuleSetHistoryEntry> History
    {
        get
        {
            lock (_historyLock)
            {
                return [.. _history];
            }
        }
    }

    internal void Accept(RuleSet ruleSet, DateTimeOffset at) => Accept(ruleSet, at, fromLastGoodCopy: false);

    /// <summary>Serves the last-good copy; the refused attempt stays the last attempt, so status still explains.</summary>
    internal void AcceptLastGoodCopy(RuleSet ruleSet, DateTimeOffset at) => Accept(ruleSet, at, fromLastGoodCopy: true);

    private void Accept(RuleSet ruleSet, DateTimeOffset at, bool fromLastGoodCopy)
    {
        var changes = RuleSetChanges.Between(Current, ruleSet);
        lock (_historyLock)
        {
            _history.AddFirst(new RuleSetHistoryEntry(ruleSet.Version, ruleSet.LoadedAt, changes));
            while (_history.Count > options.Value.HistorySize)
            {
                _history.RemoveLast();
            }
        }
        Volatile.Write(ref _current, ruleSet);
        ServingLastGoodCopy = fromLastGoodCopy;
        if (!fromLastGoodCopy)
        {
            Volatile.Write(ref _lastAttempt, new LoadAttempt(at, true, ruleSet.Version, ruleSet.Warnings));
        }
    }

    internal void Refuse(string? version, IReadOnlyList<RuleProblem> problems, DateTimeOffset at)
    {
        var attempt = new LoadAttempt(at, false, version, problems);
        LastRefused = attempt;
        Interlocked.Increment(ref _refused);
        Volatile.Write(ref _lastAttempt, attempt);
    }
}
