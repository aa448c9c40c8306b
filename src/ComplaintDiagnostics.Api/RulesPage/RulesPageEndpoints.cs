namespace ComplaintDiagnostics.Api.RulesPage;

internal static class RulesPageEndpoints
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(RulesPageEndpoints).Assembly.GetManifestResourceStream("ComplaintDiagnostics.Api.RulesPage.rules.html")
            ?? throw new InvalidOperationException("The rules page is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>/rules: the rule set in service as decision tables, for the NOC. A static page that reads
    /// /api/v1/rules and /api/v1/rules/status; nothing to build.</summary>
    public static IEndpointRouteBuilder MapRulesPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rules", () => TypedResults.Content(Html.Value, "text/html; charset=utf-8"))
            .WithName("RulesPage")
            .WithSummary("The rules in service as decision tables (HTML)")
            .WithTags("Rules")
            .ExcludeFromDescription();
        return app;
    }
}
