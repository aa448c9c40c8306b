namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>An <see cref="AreaIndex"/> that holds what it is given until told to let go: the recorder's decisions on their
/// way to the store, looked up as the store's are.</summary>
public sealed partial class AreaIndex
{
    /// <summary>An index of every decision given to it, from the Unix epoch on: what the recorder holds while a batch is on
    /// its way to the store (<see cref="Recording.DecisionRecorder.PendingNear"/>).</summary>
    public static AreaIndex Holding()
    {
        var index = new AreaIndex();
        index.Load(DateTimeOffset.UnixEpoch, [], []);
        return index;
    }

    /// <summary>Lets go of decisions by id (a batch that has left the recorder's queue).</summary>
    public void Remove(IEnumerable<DecisionRecord> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var ids = decisions.Where(Held).Select(d => d.DecisionId).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return;
        }
        _lock.Enter();
        try
        {
            Remove(_cells, ids);
            Remove(_places, ids);
        }
        finally
        {
            _lock.Exit();
        }
    }

    private static void Remove<TKey>(Dictionary<TKey, List<Entry>> lists, HashSet<string> ids) where TKey : notnull
    {
        foreach (var (key, list) in lists.ToList())
        {
            if (list.RemoveAll(e => ids.Contains(e.DecisionId)) > 0 && list.Count == 0)
            {
                lists.Remove(key);
            }
        }
    }
}
