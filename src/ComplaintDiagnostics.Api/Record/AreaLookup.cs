using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Recording;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>
/// The area's complaint history, looked up (domain.md v3, V3a/V4): when a complaint of the types the rule set names
/// ("areaHistory" in ruleset.json) leaves <c>network.similarUnresolvedComplaints</c> unknown and says where it is,
/// the record is asked for complaints near it in the last days whose ticket is still unresolved (no confirmed cause,
/// or one the rule set counts as unresolved). A value the request gives always wins; with recording off nothing is
/// looked up. The record is indexed by grid cell (<see cref="AreaGrid"/>), so the question reads a few cells.
/// </summary>
internal sealed class AreaLookup(IDecisionStore store, DecisionRecorder recorder, TimeProvider time)
{
    /// <summary>The path the look-up answers.</summary>
    public const string Field = "network.similarUnresolvedComplaints";

    /// <summary>A record that does not answer within this long leaves the field unknown (the rules then ask for it).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(250);

    private const int MostListed = 10;

    /// <summary>The newest unresolved complaints read from the box (or place): enough that a few outside the circle,
    /// in its corners, still leave the newest within it; the look-up never reads a hot spot's whole month.</summary>
    private const int Enough = 24;


    public async Task<(DiagnoseRequest Request, LookedUpFact? Fact)> ApplyAsync(RuleSet rules, DiagnoseRequest request, CancellationToken cancellationToken)
    {
        if (!recorder.Enabled || rules.AreaHistory is not { } area || !area.Applies(request))
        {
            return (request, null);
        }
        var location = request.Location!;
        var here = location is { Latitude: { } lat, Longitude: { } lon } && AreaGrid.IsValid(lat, lon) ? (lat, lon) : ((double, double)?)null;
        var place = AreaGrid.Place(location.Description);
        // Day `Days` counts whole: a complaint 30 days and some hours old is within 30 days, one 31 days old is not.
        var since = time.GetUtcNow() - TimeSpan.FromDays(area.Days + 1) + TimeSpan.FromMilliseconds(1);
        var query = new AreaQuery(
            here is { } h ? AreaGrid.CellsAround(h.Item1, h.Item2, area.RadiusMetres) : [],
            here is { } c ? AreaGrid.Box(c.Item1, c.Item2, area.RadiusMetres) : null, place,
            area.ComplaintTypeNames, area.StillUnresolvedAs, since, request.TicketId, Limit: Enough);
        IReadOnlyList<AreaNeighbour> neighbours;
        try
        {
            // The query itself is cancelled at the patience's end, not only waited for: a slow database must not keep
            // one pooled connection per voice complaint busy.
            // Answered from memory the task is complete on return, and no timer is set for it.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var near = store.NearAsync(query, patience.Token);
            if (!near.IsCompleted)
            {
                patience.CancelAfter(Patience);
                near = near.WaitAsync(Patience, cancellationToken);
            }
            neighbours = await near;
            // Complaints answered a moment ago, still queued for the store, count as recorded.
            if (recorder.PendingNear(query) is { Count: > 0 } pending)
            {
                neighbours = [.. neighbours, .. pending.Where(p => !neighbours.Any(n => n.DecisionId == p.DecisionId))];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (request, new LookedUpFact(Field, null, "decisionRecord", [], "the decision record did not answer in time; the field stays unknown."));
        }
        catch (Exception ex) when (ex is TimeoutException or System.Data.Common.DbException or InvalidOperationException)
        {
            return (request, new LookedUpFact(Field, null, "decisionRecord", [], "the decision record did not answer in time; the field stays unknown."));
        }
        var found = neighbours
            .Where(n => here is { } h && n is { Latitude: { } nLat, Longitude: { } nLon }
                ? AreaGrid.Metres(h.Item1, h.Item2, nLat, nLon) <= area.RadiusMetres
                : place is not null && string.Equals(place, n.Place, StringComparison.Ordinal))
            .ToList();
        var value = found.Count > 0;
        return (AsLookedUp(request, value), new LookedUpFact(Field, value, "decisionRecord", [.. found.Take(MostListed).Select(n => n.DecisionId)]));
    }

    /// <summary>The complaint as the rules saw it: with what the look-up gave them (null: nothing was looked up). The record
    /// keeps the complaint as received, so whatever answers it again (reproduce, shadow, a proposal's replay) starts here.</summary>
    public static DiagnoseRequest AsLookedUp(DiagnoseRequest request, bool? similar) => ReplayRow.AsLookedUp(request, similar);
}
