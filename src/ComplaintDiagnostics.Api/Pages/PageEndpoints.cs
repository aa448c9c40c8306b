using ComplaintDiagnostics.Api.Http;

namespace ComplaintDiagnostics.Api.Pages;

/// <summary>
/// The NOC's and QA's pages for the rule lifecycle (the editor, a proposal's review, the releases) and their assets, all
/// built into the assembly: no page loads anything from outside the service (the operator's network has no internet).
/// The third-party scripts under <c>assets/</c> are bundled by <c>web/build.mjs</c> from npm's lockfile, with their
/// licences in <c>assets/LICENSES.txt</c>.
/// </summary>
internal static class PageEndpoints
{
    private static readonly Dictionary<string, (string Type, Lazy<byte[]> Bytes)> Assets = typeof(PageEndpoints).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(AssetPrefix, StringComparison.Ordinal))
        .ToDictionary(n => n[AssetPrefix.Length..], n => (TypeOf(n), new Lazy<byte[]>(() => Read(n))), StringComparer.Ordinal);

    private const string AssetPrefix = "ComplaintDiagnostics.Api.Pages.assets.";

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
            {
                if (!Assets.TryGetValue(name, out var asset))
                {
                    return Results.NotFound();
                }
                context.Response.Headers.CacheControl = "no-cache"; // Revalidated: a new build of the service serves its own.
                return Results.Bytes(asset.Bytes.Value, asset.Type);
            })
            .WithName("PageAsset").ExcludeFromDescription();
        Page(app, "/rules/edit", "editor.html", "RuleEditorPage");
        Page(app, "/proposals", "proposal.html", "ProposalsPage");
        Page(app, "/proposals/{id}", "proposal.html", "ProposalPage");
        Page(app, "/releases", "releases.html", "ReleasesPage");
        Page(app, "/record", "record.html", "RecordPage");
        app.MapWorkflowSheet();
        return app;
    }

    private static void Page(IEndpointRouteBuilder app, string path, string file, string name)
    {
        var html = new Lazy<string>(() => EmbeddedPage.Read($"ComplaintDiagnostics.Api.Pages.{file}"));
        // Times on the pages in the operator's offset (RulesPage:UtcOffset, +08:00 by default), as on /rules.
        app.MapGet(path, (IConfiguration configuration, HttpContext context) =>
            {
                // Pages with Approve and Activate buttons are never framed by another site (clickjacking).
                context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Content(html.Value.Replace("/*UTC-OFFSET*/",
                    RulesPage.RulesPageEndpoints.Offset(configuration["RulesPage:UtcOffset"]), StringComparison.Ordinal), "text/html; charset=utf-8");
            })
            .WithName(name).ExcludeFromDescription();
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    private static byte[] Read(string name)
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
