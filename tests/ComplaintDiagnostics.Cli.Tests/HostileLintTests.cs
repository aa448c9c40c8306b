namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>lint</c> on every expression of the hostile corpus: exit 1, the finding on R1's line, no stack
/// trace, and it returns (a bomb is refused before anything runs).</summary>
public sealed class HostileLintTests
{
    public static TheoryData<string> Corpus => HostileExpressions.Labels();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task LintRefusesItWithFileLineAndRule(string label)
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        var line = rules.LineOf(HostileExpressions.File, HostileExpressions.ReplacedCondition);
        File.WriteAllText(rules.File(HostileExpressions.File), HostileExpressions.Broken(label));

        var run = await CliRun.Of("lint", "--rules", rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{HostileExpressions.File}:{line}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{HostileExpressions.Rule}: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("The service would refuse these rules", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", run.Output + run.Error, StringComparison.Ordinal);
    }
}

/// <summary>A rules folder that is not a folder of small regular files: <c>lint</c> and <c>test</c> (the pre-commit
/// gate) used to wait forever on a FIFO; each now names the entry and exits 2.</summary>
public sealed partial class HostileRuleFolderCliTests
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);

    [Theory]
    [InlineData("lint", "workflows/zz-pipe.json")]
    [InlineData("test", "workflows/zz-pipe.json")]
    [InlineData("test", "tests/zz-pipe.json")]
    public async Task AFifoIsNamedNotWaitedOn(string command, string file)
    {
        using var rules = new TempRulesFolder(RepoPaths.EngineFixture);
        Assert.Equal(0, MkFifo(rules.File(file), 0b110_100_100));

        var run = await CliRun.Of(command, "--rules", rules.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{file} is not a regular file", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkOutOfTheFolderIsNamed()
    {
        using var rules = new TempRulesFolder(RepoPaths.EngineFixture);
        File.CreateSymbolicLink(rules.File("workflows/zz-link.json"), "/dev/zero");

        var run = await CliRun.Of("lint", "--rules", rules.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("workflows/zz-link.json is a link to a file outside the folder", run.Error, StringComparison.Ordinal);
    }
}
