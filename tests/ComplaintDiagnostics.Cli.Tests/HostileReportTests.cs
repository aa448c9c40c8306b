using System.Text.Json;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>
/// Every field a replay report embeds comes from someone else's file (a ticket id, a confirmed cause, a malformed line
/// quoted in its error): a ticket id holding <c>&lt;/script&gt;&lt;script&gt;</c> ran in the browser of whoever opened the
/// report, also after <c>replay merge --html</c>. Rendered in Chromium, every payload must read as text and none run.
/// </summary>
public sealed class HostileReportTests : IDisposable
{
    private const string Complete = "\"complaintType\":\"data\",\"billing\":\"postpaid\",\"dataFeatureEnabled\":true,\"roaming\":\"local\",\"scope\":\"allTimesAllPlaces\",\"inArrears\":true";
    private readonly string _folder = Directory.CreateTempSubdirectory("cd-hostile-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FilePath(string name) => Path.Combine(_folder, name);

    /// <summary>Each payload as a ticket id and as a confirmed cause of a disagreement, and inside a line that cannot be read.</summary>
    private string HostileHistory()
    {
        var lines = new List<string>();
        foreach (var text in HostileTexts.Corpus)
        {
            var json = JsonSerializer.Serialize(text);
            lines.Add($"{{\"ticketId\":{json},{Complete},\"confirmedCause\":{json}}}");
            lines.Add($"{{\"ticketId\":{json},{Complete},\"billing\":{json}}}");
        }
        File.WriteAllLines(FilePath("hostile.jsonl"), lines);
        return FilePath("hostile.jsonl");
    }

    private static async Task AssertRendersAsText(string html)
    {
        var dom = await HeadlessChromium.DumpDomAsync(new Uri(html).AbsoluteUri);

        Assert.DoesNotContain(HostileTexts.Mark, dom, StringComparison.Ordinal);
        Assert.Contains("<table id=\"disagreements\">", dom, StringComparison.Ordinal);
        foreach (var text in HostileTexts.Corpus.Where(t => !t.Contains('\u2028', StringComparison.Ordinal)))
        {
            Assert.Contains(HostileTexts.AsDomText(text), dom, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task EveryEmbeddedFieldOfTheReplayReportRendersAsText()
    {
        HeadlessChromium.SkipUnlessInstalled();
        var history = HostileHistory();

        var run = await CliRun.Of("replay", "--tickets", history, "--rules", RepoPaths.Rules, "--html", FilePath("report.html"),
            "--max-unreadable-percent", "100");

        Assert.True(run.ExitCode is 0 or 1, run.Output + run.Error);
        Assert.DoesNotContain("</script><script>", File.ReadAllText(FilePath("report.html"))[..^40].Split("<script type=\"application/json\" id=\"report\">")[1].Split("</script>")[0], StringComparison.Ordinal);
        await AssertRendersAsText(FilePath("report.html"));
    }

    [SkippableFact]
    public async Task MergedShardsRenderAsTextToo()
    {
        HeadlessChromium.SkipUnlessInstalled();
        var history = HostileHistory();
        for (var k = 0; k < 2; k++)
        {
            var shard = await CliRun.Of("replay", "--tickets", history, "--rules", RepoPaths.Rules, "--shard", $"{k}/2", "--json", FilePath($"shard-{k}.json"),
                "--max-unreadable-percent", "100");
            Assert.True(shard.ExitCode is 0 or 1, shard.Output + shard.Error);
        }

        var merged = await CliRun.Of("replay", "merge", FilePath("shard-0.json"), FilePath("shard-1.json"), "--html", FilePath("merged.html"),
            "--max-unreadable-percent", "100");

        Assert.True(merged.ExitCode is 0 or 1, merged.Output + merged.Error);
        await AssertRendersAsText(FilePath("merged.html"));
    }
}
