using System.Runtime.InteropServices;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// A Kubernetes ConfigMap volume: the visible files are symlinks through <c>..data</c>, itself a symlink to a
/// timestamped folder; an update writes a new folder and renames a new <c>..data</c> over the old one.
/// </summary>
public sealed partial class SymlinkSwapTests : IDisposable
{
    private readonly string _volume = Path.Combine(Path.GetTempPath(), "cd-configmap-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_volume, recursive: true);

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Rename(string from, string to);

    private string Publish(string name, Func<string, string, string> edit)
    {
        RepoPaths.CopyRulesTo(Path.Combine(_volume, name), edit);
        return name;
    }

    private void PointDataAt(string folder)
    {
        var temp = Path.Combine(_volume, "..data_tmp");
        File.CreateSymbolicLink(temp, folder);
        Assert.Equal(0, Rename(temp, Path.Combine(_volume, "..data")));
    }

    [Fact]
    public async Task SwappingDataIsServedWithoutRestart()
    {
        Directory.CreateDirectory(_volume);
        PointDataAt(Publish("..2026_11_28_01", (_, text) => text));
        foreach (var entry in new[] { "ruleset.json", "causes.json", "replies.json", "actions.json", "notify.json", "workflows", "tests" })
        {
            File.CreateSymbolicLink(Path.Combine(_volume, entry), Path.Combine("..data", entry));
        }
        using var factory = ServiceFactory.Serving(_volume);
        using var client = factory.CreateClient();
        var before = await client.DiagnoseAsync(Complaint.Data("network.reproduced=false; network.activeAlarms=false; network.kpiAbnormal=false"));
        Assert.Equal("NOT_REPRODUCED", before.Cause.Code);

        PointDataAt(Publish("..2026_11_28_02", (file, text) => file == "replies.json"
            ? text.Replace("建议用户再关注。", "建议用户再关注（ConfigMap）。", StringComparison.Ordinal)
            : text));

        await HttpClientExtensions.Eventually(async () =>
        {
            var after = await client.DiagnoseAsync(Complaint.Data("network.reproduced=false; network.activeAlarms=false; network.kpiAbnormal=false"));
            return after.Reply.WorkOrderText!.EndsWith("（ConfigMap）。", StringComparison.Ordinal) && after.RulesVersion != before.RulesVersion;
        }, HttpClientExtensions.ReloadDeadline, "the swapped ConfigMap is served");
    }
}
