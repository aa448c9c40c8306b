using Newtonsoft.Json;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// A copy, on disk, of the last rule set the service accepted (<c>Rules:LastGoodPath</c>): when a
/// restart finds the rules folder refused (a typo saved while the service was down, a half-synced ConfigMap),
/// the service serves this copy instead of nothing, and says so in <c>/api/v1/rules/status</c> and the metrics.
/// One JSON file, written to a temporary file and moved into place, so a crash mid-write leaves the old copy.
/// </summary>
public sealed class LastGoodCopy(string? path)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(path);

    public string? Path => Enabled ? System.IO.Path.GetFullPath(path!) : null;

    /// <exception cref="IOException">The copy could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The copy could not be written.</exception>
    public void Save(RuleSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (Path is not { } target)
        {
            return;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp";
        File.WriteAllText(temporary, JsonConvert.SerializeObject(new Copy(sources.Version, sources.Files), Formatting.Indented));
        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>The saved rule files, or null when there is no readable copy.</summary>
    public RuleSources? TryLoad()
    {
        if (Path is not { } source || !File.Exists(source))
        {
            return null;
        }
        try
        {
            // Read as the rules folder is: a regular file, bounded (the copy of an 8 MiB set is at most a few times that).
            var folder = System.IO.Path.GetDirectoryName(source)!;
            var name = System.IO.Path.GetFileName(source);
            var text = Files.BoundedFolder.Read(folder, [name], [], Files.ReadLimits.RuleFiles with { MaxFileBytes = 64L * 1024 * 1024, MaxTotalBytes = 64L * 1024 * 1024 });
            return text.TryGetValue(name, out var json) && JsonConvert.DeserializeObject<Copy>(json)?.Files is { } files ? new RuleSources(files) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private sealed record Copy(string Version, IReadOnlyDictionary<string, string> Files);
}
