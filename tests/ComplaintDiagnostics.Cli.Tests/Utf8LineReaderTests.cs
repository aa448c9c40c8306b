using System.Text;
using ComplaintDiagnostics.Cli.Replay;

namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>The replay reads JSON Lines as bytes through one buffer; lines must come out exactly as a text reader
/// would give them, wherever the buffer's edges fall.</summary>
public sealed class Utf8LineReaderTests
{
    private static async Task<List<string>> LinesAsync(byte[] bytes, int bufferSize, int maxLineBytes = Utf8LineReader.MaxLineBytes)
    {
        using var reader = new Utf8LineReader(new MemoryStream(bytes), bufferSize, maxLineBytes);
        var lines = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            lines.Add(reader.TooLong ? "<too long>" : Encoding.UTF8.GetString(reader.Current.Span));
        }
        return lines;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(1 << 16)]
    public async Task LinesComeOutAsWrittenWhateverTheBufferSize(int bufferSize)
    {
        var text = "{\"a\":1}\r\n\n  \n{\"description\":\"三号楼 室内\",\"long\":\"" + new string('x', 100) + "\"}\n{\"last\":true}";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var lines = await LinesAsync(bytes, bufferSize);

        Assert.Equal(["{\"a\":1}", "", "  ", "{\"description\":\"三号楼 室内\",\"long\":\"" + new string('x', 100) + "\"}", "{\"last\":true}"], lines);
    }

    [Fact]
    public async Task AFinalLineBreakAddsNoEmptyLine()
    {
        Assert.Equal(["one", "two"], await LinesAsync(Encoding.UTF8.GetBytes("one\ntwo\n"), 16));
        Assert.Empty(await LinesAsync([], 16));
    }

    [Fact]
    public async Task ALineLongerThanTheLimitIsReportedAndTheNextOneIsRead()
    {
        var text = "short\n" + new string('y', 200) + "\nafter\n" + new string('z', 200);

        var lines = await LinesAsync(Encoding.UTF8.GetBytes(text), bufferSize: 16, maxLineBytes: 64);

        Assert.Equal(["short", "<too long>", "after", "<too long>"], lines);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" \t\r", true)]
    [InlineData("\u3000\u00A0", true)]
    [InlineData(" x ", false)]
    [InlineData("\u3000好", false)]
    public void BlankIsWhatStringIsNullOrWhiteSpaceSays(string line, bool blank)
    {
        Assert.Equal(string.IsNullOrWhiteSpace(line), blank);
        Assert.Equal(blank, Utf8LineReader.IsBlank(Encoding.UTF8.GetBytes(line)));
    }
}
