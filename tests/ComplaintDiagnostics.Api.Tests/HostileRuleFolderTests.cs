using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// A rules folder is not always a folder of small regular files: a FIFO (or a hung mount, or a link to a device)
/// whose read never ends stopped hot reload for good while the status said "accepted"; a 100 MB file or a link to
/// /dev/zero took gigabytes on every poll; a link to a JSON file elsewhere was read and quoted in the status. Each
/// is now a refused attempt naming the entry, and the watcher goes on.
/// </summary>
public sealed partial class HostileRuleFolderTests() : TempRulesService(RepoPaths.EngineFixture)
{
    private static readonly string First = Complaint.Data("inArrears=true");

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    internal static void Fifo(string path) => Assert.Equal(0, MkFifo(path, 0b110_100_100));

    /// <summary>Waits until the last attempt is refused with a problem on <paramref name="file"/>; returns it and the status text.</summary>
    private Task<(JsonElement Problem, string Status)> RefusedOn(string file) =>
        RefusedOnAsync(p => p.GetProperty("file").GetString() == file);

    private async Task TheNextEditIsServed(string before)
    {
        Rules.Edit("replies.json", "第一条。", "第一条（已修复）。");
        await HttpClientExtensions.Eventually(async () =>
        {
            var after = await Client.DiagnoseAsync(First);
            return after.Reply.Text.EndsWith("第一条（已修复）。", StringComparison.Ordinal) && after.RulesVersion != before;
        }, HttpClientExtensions.ReloadDeadline, "the next edit is served: the watcher is not stuck");
    }

    [Theory]
    [InlineData("workflows/zz-pipe.json")]
    [InlineData("causes.json")]
    public async Task AFifoIsRefusedWithoutWaitingAndTheWatcherGoesOn(string file)
    {
        var before = (await Client.DiagnoseAsync(First)).RulesVersion;
        File.Delete(Rules.File(file));
        Fifo(Rules.File(file));

        var (problem, _) = await RefusedOn(file);

        Assert.Contains("not a regular file", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await Client.DiagnoseAsync(First)).RulesVersion);
        File.Delete(Rules.File(file));
        if (file == "causes.json")
        {
            File.Copy(Path.Combine(RepoPaths.EngineFixture, file), Rules.File(file));
        }
        await TheNextEditIsServed(before);
    }

    /// <summary>Entries that used to be skipped, or named as the folder: a socket, a folder named like a rule file, names a
    /// reader would not see as written. Each refuses the edit naming the entry (an edit that silently does nothing is worse).</summary>
    [Theory]
    [InlineData("socket", "workflows/zz-sock.json", "cannot be opened")]
    [InlineData("folder", "workflows/zz-dir.json", "is a folder, not a file")]
    [InlineData("folder", "replies.json", "is a folder, not a file")]
    [InlineData("file", "workflows/zz\u001b[31m.json", "control or invisible character in its name")]
    [InlineData("file", "workflows/data\u200b.json", "control or invisible character in its name")]
    [InlineData("file", "workflows/a\\\\b.json", "backslash in its name")]
    public async Task AnEntryThatIsNoRuleFileIsRefusedByName(string kind, string entry, string words)
    {
        var before = (await Client.DiagnoseAsync(First)).RulesVersion;
        var name = System.Text.RegularExpressions.Regex.Unescape(entry);
        var path = Rules.File(name);
        // Held open for the test: .NET removes a socket's file when the socket is closed.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        switch (kind)
        {
            case "socket":
                socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                break;
            case "folder":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            default:
                File.WriteAllText(path, "{ broken");
                break;
        }

        var (problem, status) = await RefusedOnAsync(p => p.GetProperty("message").GetString()!.Contains(words, StringComparison.Ordinal));

        Assert.DoesNotContain('\u001b', status);
        Assert.Equal(before, (await Client.DiagnoseAsync(First)).RulesVersion);
        Assert.StartsWith(name.Split('/')[0], problem.GetProperty("file").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Waits until the last attempt is refused with a problem <paramref name="matches"/> accepts.</summary>
    private async Task<(JsonElement Problem, string Status)> RefusedOnAsync(Func<JsonElement, bool> matches)
    {
        JsonElement problem = default;
        var text = "";
        await HttpClientExtensions.Eventually(async () =>
        {
            text = await Client.GetStringAsync(new Uri("/api/v1/rules/status", UriKind.Relative));
            var attempt = JsonSerializer.Deserialize<JsonElement>(text).GetProperty("lastAttempt");
            problem = attempt.GetProperty("accepted").GetBoolean() ? default : attempt.GetProperty("problems").EnumerateArray().FirstOrDefault(matches);
            return problem.ValueKind == JsonValueKind.Object;
        }, HttpClientExtensions.ReloadDeadline, "a refused attempt");
        return (problem, text);
    }

    [Fact]
    public async Task AnOversizedFileIsRefusedWithoutBeingReadWhole()
    {
        var before = (await Client.DiagnoseAsync(First)).RulesVersion;
        using (var big = File.Create(Rules.File("workflows/zz-big.json")))
        {
            big.SetLength(100L * 1024 * 1024); // sparse: costs no disk, and gigabytes were read from such a file per poll
        }

        var (problem, _) = await RefusedOn("workflows/zz-big.json");

        Assert.Contains("at most 1 MiB", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        File.Delete(Rules.File("workflows/zz-big.json"));
        await TheNextEditIsServed(before);
    }

    /// <summary>A link out of the folder is refused, whatever it points at (a device, a file of someone else's values),
    /// and nothing of its target reaches the status, which needs no key by default.</summary>
    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("outside")]
    [InlineData("/etc/passwd")]
    public async Task ALinkOutOfTheFolderIsRefusedAndItsTargetNeverQuoted(string target)
    {
        var outside = Path.Combine(Path.GetTempPath(), "cd-outside-" + Guid.NewGuid().ToString("N") + ".json");
        if (target == "outside")
        {
            File.WriteAllText(outside, """{ "WorkflowName": "SECRET-FROM-ELSEWHERE", "Rules": [ { "RuleName": "SECRET-RULE" } ] }""");
            target = outside;
        }
        try
        {
            File.CreateSymbolicLink(Rules.File("workflows/zz-link.json"), target);

            var (problem, status) = await RefusedOn("workflows/zz-link.json");

            Assert.Contains("outside the folder", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET", status, StringComparison.Ordinal);
            Assert.DoesNotContain("root:", status, StringComparison.Ordinal);
            Assert.DoesNotContain(target, status, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task ALinkInsideTheFolderIsStillFollowed()
    {
        var before = (await Client.DiagnoseAsync(First)).RulesVersion;
        Directory.CreateDirectory(Rules.File("..data"));
        File.Move(Rules.File("replies.json"), Rules.File("..data/replies.json"));
        File.CreateSymbolicLink(Rules.File("replies.json"), "..data/replies.json");

        await TheNextEditIsServed(before);
    }

    /// <summary>The validate gate reads the scenarios in service from tests/: a FIFO there held it forever.</summary>
    [Fact]
    public async Task AFifoAmongTheScenariosDoesNotHoldTheValidateGate()
    {
        Directory.CreateDirectory(Rules.File("tests"));
        Fifo(Rules.File("tests/zz-pipe.json"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var response = await Client.PostAsync(new Uri("/api/v1/rules/validate", UriKind.Relative),
            new StringContent("""{"files":{"tests/x.json":"{\"scenarios\":[]}"}}""", System.Text.Encoding.UTF8, "application/json"), timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("tests/zz-pipe.json is not a regular file", body, StringComparison.Ordinal);
        File.Delete(Rules.File("tests/zz-pipe.json"));
        using var again = await Client.PostAsync(new Uri("/api/v1/rules/validate", UriKind.Relative),
            new StringContent("""{"files":{"tests/x.json":"{\"scenarios\":[]}"}}""", System.Text.Encoding.UTF8, "application/json"), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}

/// <summary>A FIFO in the folder at start: the process used to block before listening (not even /healthz) and ignore
/// SIGTERM. It now listens, explains, and stops when told.</summary>
public sealed class HostileRuleFolderAtStartTests
{
    [Fact]
    public async Task AFifoAtStartStillListensExplainsAndHonoursSigterm()
    {
        using var rules = new TempRulesFolder(RepoPaths.EngineFixture);
        HostileRuleFolderTests.Fifo(rules.File("workflows/zz-pipe.json"));
        var (service, ready, status) = await ServiceProcess.StartOnAsync(rules.Path);
        using var started = service;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Contains("workflows/zz-pipe.json", status, StringComparison.Ordinal);
        Assert.Contains("not a regular file", status, StringComparison.Ordinal);
        await service.SigtermAsync();
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, service.ExitCode);
    }
}
