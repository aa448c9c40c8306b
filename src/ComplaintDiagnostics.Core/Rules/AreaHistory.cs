using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// How the service answers <c>network.similarUnresolvedComplaints</c> from its own record when a complaint leaves it
/// unknown (domain.md, "Record, confirm, learn"; V3a/V4): rule data in <c>ruleset.json</c> ("areaHistory"), so the
/// NOC sets the distance and the days. A complaint recorded within <see cref="RadiusMetres"/> (or with the same
/// location description where either has no coordinates) in the last <see cref="Days"/> days, of one of
/// <see cref="ComplaintTypes"/>, whose ticket has no confirmed cause yet or one of <see cref="StillUnresolvedAs"/>,
/// is a similar unresolved complaint.
/// </summary>
/// <param name="Days">Day <c>Days</c> counts (a complaint recorded 30 days and some hours ago is within 30 days); the day after does not.</param>
public sealed record AreaHistory(IReadOnlyList<ComplaintType> ComplaintTypes, double RadiusMetres, int Days, IReadOnlyList<string> StillUnresolvedAs)
{
    public const double MaxRadiusMetres = 5_000;

    /// <summary>The types as the record keeps them (wire names), worked out once when the rules load.</summary>
    public IReadOnlyList<string> ComplaintTypeNames { get; } = [.. ComplaintTypes.Select(t => ContractJson.WireName(t))];
    public const int MaxDays = 366;

    /// <summary>True when a complaint of this type, with this value unknown, is looked up.</summary>
    public bool Applies(DiagnoseRequest request) =>
        request is { ComplaintType: { } type } && request.Network?.SimilarUnresolvedComplaints is null
        && ComplaintTypes.Contains(type)
        && (request.Location is { Latitude: not null, Longitude: not null } || !string.IsNullOrWhiteSpace(request.Location?.Description));
}
