using System.IO.Compression;
using System.Text.Json;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>
/// A history that does not read as it should stops the replay, loudly. One stray quote in one CSV field made 390 of
/// 400 tickets one field ("9 tickets, 100% agreement", exit 0, even under --min-agreement); a gzip or binary file read
/// as "0 of 0" with exit 0; a tampered shard merged into "-100 malformed"; a report path that could not be written
/// ended in an unhandled exception.
/// </summary>
public sealed class ReplayInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cd-replay-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FilePath(string name) => Path.Combine(_folder, name);

    private async Task<string[]> Csv(int count)
    {
        var run = await CliRun.Of("generate-history", "--out", FilePath("h.csv"), "--count", $"{count}", "--seed", "11");
        Assert.Equal(0, run.ExitCode);
        return File.ReadAllLines(FilePath("h.csv"));
    }

    private static void AssertNoStackTrace(CliRun run) =>
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);

    /// <summary>A stray quote opening the description of line 11: the fields of the lines after it run together.</summary>
    [Theory]
    [InlineData("Site ")] // location.description, a free-text column, mid-file
    [InlineData("H-0000010,")] // ticketId, the quote opening a field whose next quote is lines away
    public async Task AStrayQuoteThatRunsLinesTogetherFailsTheReplayAndNamesTheLines(string before)
    {
        var lines = await Csv(400);
        var at = lines[10].IndexOf(before, StringComparison.Ordinal);
        Assert.True(at >= 0);
        lines[10] = lines[10][..at] + "\"" + lines[10][at..];
        File.WriteAllLines(FilePath("stray.csv"), lines);

        var strict = await CliRun.Of("replay", "--tickets", FilePath("stray.csv"), "--rules", RepoPaths.Rules, "--min-agreement", "95", "--json", FilePath("r.json"));
        var lenient = await CliRun.Of("replay", "--tickets", FilePath("stray.csv"), "--rules", RepoPaths.Rules, "--max-unreadable-percent", "100", "--json", FilePath("r.json"));

        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("a quoting error: lines 11–", strict.Output, StringComparison.Ordinal);
        Assert.Contains("could not be read at all", strict.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED:", strict.Output, StringComparison.Ordinal);
        AssertNoStackTrace(strict);
        var report = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(FilePath("r.json")));
        // Every physical line is accounted for: the records read, and the lines the unreadable ones took with them.
        // (401 lines and the end of the file, which the open quote reads as one more line of its field.)
        Assert.InRange(report.GetProperty("physicalLines").GetInt64(), 401, 402);
        Assert.True(report.GetProperty("unreadableLines").GetInt64() >= 2);
        Assert.Equal(report.GetProperty("evaluated").GetInt64() + report.GetProperty("malformed").GetInt64(), report.GetProperty("lines").GetInt64());
        Assert.NotEqual(2, lenient.ExitCode);
    }

    /// <summary>A stray pair of quotes on two adjacent rows made them one record with the right number of fields: one
    /// ticket gone, the next replayed with half of another's fields, exit 0.</summary>
    [Fact]
    public async Task AStrayQuotePairOnAdjacentRowsIsAQuotingError()
    {
        var lines = await Csv(50);
        var column = Array.IndexOf(lines[0].Split(','), "location.description");
        var a = lines[1].Split(',');
        var b = lines[2].Split(',');
        a[column] = "\"" + a[column];
        b[column] += "\"";
        lines[1] = string.Join(',', a);
        lines[2] = string.Join(',', b);
        File.WriteAllLines(FilePath("pair.csv"), lines);

        var run = await CliRun.Of("replay", "--tickets", FilePath("pair.csv"), "--rules", RepoPaths.Rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a quoting error: lines 2–3 read as one record", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Every record read but none replayable (all refused by the contract) reported "0 of 0" with exit 0, and
    /// check passed on it.</summary>
    [Fact]
    public async Task AHistoryOfWhichNothingCanBeReplayedFails()
    {
        File.WriteAllLines(FilePath("invalid.jsonl"), Enumerable.Repeat("{\"complaintType\":\"data\",\"billing\":\"prepaid\",\"confirmedCause\":\"X\"}", 10));

        var run = await CliRun.Of("replay", "--tickets", FilePath("invalid.jsonl"), "--rules", RepoPaths.Rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("none of the 10 records", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-unreadable-percent", "50%")]
    [InlineData("--workers", "x")]
    public async Task AnOptionThatIsNotANumberIsAUsageError(string option, string value)
    {
        await Csv(5);

        var run = await CliRun.Of("replay", "--tickets", FilePath("h.csv"), "--rules", RepoPaths.Rules, option, value);

        Assert.Equal(2, run.ExitCode);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task AQuoteNeverClosedStopsTheReplayWithinItsBound()
    {
        var lines = (await Csv(20)).ToList();
        // The last field opens a quote and 3 MB follow without one: the field was read whole, however large.
        lines[5] = lines[5][..(lines[5].LastIndexOf(',') + 1)] + "\"" + new string('x', 64);
        lines.AddRange(Enumerable.Repeat(new string('y', 1000), 3000));
        File.WriteAllLines(FilePath("open.csv"), lines);

        var run = await CliRun.Of("replay", "--tickets", FilePath("open.csv"), "--rules", RepoPaths.Rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is longer than 1 M characters", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 6", run.Error, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    public static TheoryData<string, byte[], string> NotText => new()
    {
        { "gz.jsonl", Gzip("{\"complaintType\":\"data\",\"confirmedCause\":\"X\"}\n"u8.ToArray()), "is gzip-compressed" },
        { "zip.csv", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], "is a ZIP archive" },
        { "utf16.csv", [0xFF, 0xFE, (byte)'a', 0, (byte)',', 0], "is UTF-16 text" },
        { "utf32.csv", [0xFF, 0xFE, 0, 0, (byte)'a', 0, 0, 0], "is UTF-32 text" },
        { "binary.jsonl", [0x7B, 0x00, 0x01, 0x02, 0x03, (byte)'\n'], "holds NUL bytes" },
        { "empty.jsonl", [], "no record in" },
        { "blank.csv", "\n\n"u8.ToArray(), "no record in" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task AFileThatIsNotATextHistoryIsRefusedNotReplayedAsNothing(string name, byte[] bytes, string expected)
    {
        File.WriteAllBytes(FilePath(name), bytes);

        var run = await CliRun.Of("replay", "--tickets", FilePath(name), "--rules", RepoPaths.Rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task AHeaderOfThousandsOfUnknownColumnsIsNamedInALine()
    {
        var lines = await Csv(3);
        lines[0] += string.Concat(Enumerable.Range(0, 10_000).Select(i => $",extraColumn{i}"));
        File.WriteAllLines(FilePath("wide.csv"), lines);

        var run = await CliRun.Of("replay", "--tickets", FilePath("wide.csv"), "--rules", RepoPaths.Rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("names 10,000 column(s) that are not request fields", run.Error, StringComparison.Ordinal);
        Assert.Contains("and 9,990 more", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.Length < 2000, $"{run.Error.Length} characters");
    }

    [Theory]
    [InlineData("\"lines\": ", "\"lines\": 1.5, \"x\": ", "not a whole number")]
    [InlineData("\"malformed\": 0", "\"malformed\": -100", "malformed is -100, below 0")]
    [InlineData("\"agreed\": ", "\"agreed\": 99999999, \"x\": ", "do not add up|more than evaluated")]
    public async Task ATamperedShardIsRefused(string from, string to, string why)
    {
        await Csv(200);
        File.Move(FilePath("h.csv"), FilePath("h.jsonl.csv"));
        var run = await CliRun.Of("generate-history", "--out", FilePath("h.jsonl"), "--count", "200", "--seed", "3");
        Assert.Equal(0, run.ExitCode);
        for (var k = 0; k < 2; k++)
        {
            var shard = await CliRun.Of("replay", "--tickets", FilePath("h.jsonl"), "--rules", RepoPaths.Rules, "--shard", $"{k}/2", "--json", FilePath($"s{k}.json"));
            Assert.Equal(0, shard.ExitCode);
        }
        var text = File.ReadAllText(FilePath("s1.json"));
        var counts = text.IndexOf("\"counts\"", StringComparison.Ordinal);
        var tampered = from.StartsWith("\"agreed", StringComparison.Ordinal)
            ? text[..counts] + ReplaceFirst(text[counts..], from, to)
            : ReplaceFirst(text, from, to);
        Assert.NotEqual(text, tampered);
        File.WriteAllText(FilePath("s1.json"), tampered);

        var merged = await CliRun.Of("replay", "merge", FilePath("s0.json"), FilePath("s1.json"));

        Assert.Equal(2, merged.ExitCode);
        Assert.Matches(why, merged.Error);
        AssertNoStackTrace(merged);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + to + text[(at + from.Length)..];
    }

    [Theory]
    [InlineData("/dev/full")]
    [InlineData("folder")]
    public async Task AReportThatCannotBeWrittenIsSaidWithExit2(string target)
    {
        await Csv(20);
        if (target == "folder")
        {
            target = Directory.CreateDirectory(FilePath("a-folder")).FullName;
        }

        var json = await CliRun.Of("replay", "--tickets", FilePath("h.csv"), "--rules", RepoPaths.Rules, "--json", target);
        var html = await CliRun.Of("replay", "--tickets", FilePath("h.csv"), "--rules", RepoPaths.Rules, "--html", target);

        Assert.Equal(2, json.ExitCode);
        Assert.Contains($"Cannot write the JSON report to '{target}'", json.Error, StringComparison.Ordinal);
        Assert.Equal(2, html.ExitCode);
        Assert.Contains($"Cannot write the HTML report to '{target}'", html.Error, StringComparison.Ordinal);
        AssertNoStackTrace(json);
        AssertNoStackTrace(html);
    }
}
