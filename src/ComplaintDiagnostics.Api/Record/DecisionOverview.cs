using System.Globalization;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>
/// The record as the NOC looks at it (the page /record): complaints per day by cause, the causes that come back most in
/// an area (the record's 0.01° grid cells), and where the complaints were, coloured by cause: the distribution the seed
/// asks for. Each complaint counted once, by its ticket's latest live diagnosis; whole days in the operator's offset
/// (RulesPage:UtcOffset). Bounded per request (rows read, places kept per cell, points) and two at a time.
/// </summary>
internal static class DecisionOverview
{
    /// <summary>The most decisions one overview reads (newest first): a month of a busy province, and an answer in seconds.</summary>
    public const int MaxRead = 500_000;

    /// <summary>The most points on the map: the newest, enough to see hot spots.</summary>
    public const int MaxLocations = 5_000;

    private const int TopAreas = 10;

    /// <summary>The most distinct places one cell remembers, and the longest place kept: a cell's label, not a store.</summary>
    private const int PlacesPerArea = 50;

    private const int PlaceLength = 80;

    /// <summary>Points on the map to about 100 m (three decimals): where complaints cluster, not where a customer lives.</summary>
    private const int LocationDecimals = 3;

    private static readonly SemaphoreSlim Gate = new(2, 2);

    public static IEndpointRouteBuilder MapDecisionOverview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/decisions/overview", OverviewAsync).WithTags("Decisions").WithName("GetDecisionOverview")
            .WithSummary("Live diagnoses of the last days: per day by cause, the most frequent causes by area, and the located complaints by cause")
            .RequireApiKey(app, KeyScope.Reading).RequireRateLimiting(RateLimiting.OperationsPolicy)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<OverviewReport>, ValidationProblem, ProblemHttpResult>> OverviewAsync(
        HttpRequest request, IDecisionStore store, TimeProvider time, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var errors = DecisionQuery.Unknown(request.Query, ["days"]);
        var days = DecisionQuery.Days(request.Query, errors, most: 366);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "The query is not valid.");
        }
        if (!await Gate.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Problems.Busy(5); // Two overviews are being counted already.
        }
        try
        {
            return TypedResults.Ok(await CountAsync(days, store, time, RulesPage.RulesPageEndpoints.OffsetOf(configuration["RulesPage:UtcOffset"]), cancellationToken));
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<OverviewReport> CountAsync(int days, IDecisionStore store, TimeProvider time, TimeSpan offset, CancellationToken cancellationToken)
    {
        // Whole days in the operator's time: the first day of the chart is not cut at this hour.
        var today = time.GetUtcNow().ToOffset(offset);
        var since = new DateTimeOffset(today.Date, offset).AddDays(1 - days);
        var byDay = new SortedDictionary<(string Day, string Cause), int>();
        var areas = new Dictionary<long, Area>();
        var locations = new List<Located>();
        var read = 0;
        await foreach (var row in store.OverviewAsync(since, MaxRead + 1, cancellationToken))
        {
            if (++read > MaxRead)
            {
                break;
            }
            var day = row.RecordedAt.ToOffset(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            byDay[(day, row.Cause)] = byDay.GetValueOrDefault((day, row.Cause)) + 1;
            if (row is { AreaCell: { } cell, Latitude: { } latitude, Longitude: { } longitude })
            {
                (areas.TryGetValue(cell, out var area) ? area : areas[cell] = new Area()).Add(row.Cause, latitude, longitude, row.Place);
                if (locations.Count < MaxLocations)
                {
                    locations.Add(new Located(Math.Round(latitude, LocationDecimals), Math.Round(longitude, LocationDecimals), row.Cause));
                }
            }
        }
        return new OverviewReport(days, since, read > MaxRead,
            [.. byDay.Select(d => new DayCount(d.Key.Day, d.Key.Cause, d.Value))],
            [.. areas.Values.OrderByDescending(a => a.Total).Take(TopAreas).Select(a => a.View())],
            locations);
    }

    /// <summary>The complaints of one grid cell: by cause, where they were on average, and the place most described.</summary>
    private sealed class Area
    {
        private readonly Dictionary<string, int> _causes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _places = new(StringComparer.Ordinal);
        private double _latitude;
        private double _longitude;

        public int Total { get; private set; }

        public void Add(string cause, double latitude, double longitude, string? place)
        {
            Total++;
            _causes[cause] = _causes.GetValueOrDefault(cause) + 1;
            _latitude += latitude;
            _longitude += longitude;
            if (place is not null)
            {
                place = place.Length > PlaceLength ? place[..PlaceLength] : place;
                if (_places.ContainsKey(place) || _places.Count < PlacesPerArea)
                {
                    _places[place] = _places.GetValueOrDefault(place) + 1;
                }
            }
        }

        public AreaCount View() => new(Math.Round(_latitude / Total, 4), Math.Round(_longitude / Total, 4),
            _places.OrderByDescending(p => p.Value).Select(p => p.Key).FirstOrDefault(), Total,
            [.. _causes.OrderByDescending(c => c.Value).Select(c => new CauseCount(c.Key, c.Value))]);
    }
}

/// <param name="Truncated">More decisions in the period than one overview reads (500,000): the newest were counted.</param>
internal sealed record OverviewReport(int Days, DateTimeOffset Since, bool Truncated, IReadOnlyList<DayCount> ByDay, IReadOnlyList<AreaCount> Areas,
    IReadOnlyList<Located> Locations);

internal sealed record DayCount(string Day, string Cause, int Count);

/// <param name="Place">The place its complaints described most often (as recorded: numbers masked).</param>
internal sealed record AreaCount(double Latitude, double Longitude, string? Place, int Total, IReadOnlyList<CauseCount> Causes);

internal sealed record CauseCount(string Cause, int Count);

internal sealed record Located(double Latitude, double Longitude, string Cause);
