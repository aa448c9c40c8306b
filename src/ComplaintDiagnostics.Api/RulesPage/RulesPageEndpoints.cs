using System.Globalization;

namespace ComplaintDiagnostics.Api.RulesPage;

internal static class RulesPageEndpoints
{
    private static readonly Lazy<string> Html = new(() => Http.EmbeddedPage.Read("ComplaintDiagnostics.Api.RulesPage.rules.html"));

    /// <summary>/rules: the rule set in service as decision tables, for the NOC. A static page that reads
    /// /api/v1/rules and /api/v1/rules/status; nothing to build.</summary>
    public static IEndpointRouteBuilder MapRulesPage(this IEndpointRouteBuilder app)
    {
        // Times on the page are shown in the operator's offset (RulesPage:UtcOffset, e.g. +08:00), not raw UTC.
        app.MapGet("/rules", (IConfiguration configuration) => TypedResults.Content(
                Html.Value.Replace("/*UTC-OFFSET*/", Offset(configuration["RulesPage:UtcOffset"]), StringComparison.Ordinal), "text/html; charset=utf-8"))
            .WithName("RulesPage")
            .WithSummary("The rules in service as decision tables (HTML)")
            .WithTags("Rules")
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The offset of <see cref="Offset"/> as a time span (days counted in the operator's time).</summary>
    internal static TimeSpan OffsetOf(string? configured)
    {
        var text = Offset(configured);
        var span = new TimeSpan(int.Parse(text[1..3], CultureInfo.InvariantCulture), int.Parse(text[4..6], CultureInfo.InvariantCulture), 0);
        return text[0] == '-' ? -span : span;
    }

    /// <summary>A configured offset such as "+08:00", or +08:00 (the operator's) when none or a malformed one is set.</summary>
    internal static string Offset(string? configured) =>
        configured is { Length: 6 } o && o[0] is '+' or '-' && char.IsAsciiDigit(o[1]) && char.IsAsciiDigit(o[2]) && o[3] == ':'
            && char.IsAsciiDigit(o[4]) && char.IsAsciiDigit(o[5]) ? o : "+08:00";
}
