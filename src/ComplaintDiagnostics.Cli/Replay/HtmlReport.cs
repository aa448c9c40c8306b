using System.Text.Encodings.Web;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>The replay report as one HTML file that opens offline: a static template (embedded
/// <c>Templates/report.html</c>) that renders the report JSON placed inside it, like the service's /rules page.</summary>
internal static class HtmlReport
{
    /// <summary>The most disagreements and changes listed on the page; the JSON report has them all.</summary>
    public const int Listed = 2000;

    private const string Placeholder = "/*REPORT*/";

    public static async Task WriteAsync(string path, ReplayRun run)
    {
        var template = Template();
        var at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        await using var file = File.Create(path);
        await using (var head = new StreamWriter(file, leaveOpen: true))
        {
            await head.WriteAsync(template.AsMemory(0, at));
        }
        // Lines spilled during the run or read from merged shards are written as they came, so the whole JSON goes
        // through the one encoder for a script element, whatever wrote each part.
        var json = new MemoryStream();
        await using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonReport.Write(w, run, Listed);
        }
        await file.WriteAsync(ScriptJson.Encode(json.GetBuffer().AsSpan(0, (int)json.Length)));
        await using var tail = new StreamWriter(file);
        await tail.WriteAsync(template.AsMemory(at + Placeholder.Length));
    }

    private static string Template()
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("ComplaintDiagnostics.Cli.Replay.report.html")
            ?? throw new InvalidOperationException("the report template is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
