using System.Security.Cryptography;
using System.Text;
using ComplaintDiagnostics.Core.Files;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The text of every file of a rule set, by path relative to the rules folder (always with '/').
/// A rule set is compiled from this, whether it comes from disk or from a proposed edit posted to the API.</summary>
public sealed class RuleSources
{
    public const string ManifestFile = "ruleset.json";
    public const string CausesFile = "causes.json";
    public const string RepliesFile = "replies.json";
    public const string ActionsFile = "actions.json";
    public const string NotifyFile = "notify.json";
    public const string TicketMappingFile = TicketMapping.File;
    public const string WorkflowsFolder = "workflows/";

    private static readonly string[] TopLevelFiles = [ManifestFile, CausesFile, RepliesFile, ActionsFile, NotifyFile, TicketMappingFile];

    public RuleSources(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = files.ToDictionary(kv => kv.Key.Replace('\\', '/'), kv => kv.Value, StringComparer.Ordinal);
        Version = ComputeVersion(Files);
    }

    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>A content hash: the same files give the same version, any edit gives a new one.</summary>
    public string Version { get; }

    public IEnumerable<string> WorkflowFiles =>
        Files.Keys.Where(f => IsJsonFileIn(WorkflowsFolder, f))
            .Order(StringComparer.Ordinal);

    /// <summary>Reads the rule files under <paramref name="folder"/>: the manifest, the catalogues and
    /// <c>workflows/*.json</c>, as <see cref="BoundedFolder"/> reads a folder that is not ours: regular files only,
    /// under <paramref name="limits"/>, no link out of the folder. Hidden entries (a ConfigMap's <c>..data</c> machinery)
    /// are skipped; links inside the folder are followed.</summary>
    /// <exception cref="IOException">The folder is missing or unreadable, or an entry is refused
    /// (<see cref="FolderReadException"/>, naming it).</exception>
    public static async Task<RuleSources> ReadFolderAsync(string folder, ReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The rules folder '{folder}' does not exist.");
        }
        return new RuleSources(await BoundedFolder.ReadAsync(folder, TopLevelFiles, [WorkflowsFolder], limits ?? ReadLimits.RuleFiles,
            cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The same, for a command-line run.</summary>
    public static RuleSources ReadFolder(string folder, ReadLimits? limits = null) =>
        ReadFolderAsync(folder, limits).GetAwaiter().GetResult();

    /// <summary>Whether a reload reads the file at <paramref name="path"/> (relative to the rules folder, with '/'):
    /// the manifest, a catalogue, or a workflow file.</summary>
    public static bool IsRuleFile(string path) =>
        TopLevelFiles.Contains(path, StringComparer.Ordinal) || IsJsonFileIn(WorkflowsFolder, path);

    /// <summary>Whether <paramref name="path"/> is a file the folder readers list in <paramref name="folder"/>: a visible
    /// <c>*.json</c> directly in it, its name free of control characters.</summary>
    public static bool IsJsonFileIn(string folder, string path)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith(folder, StringComparison.Ordinal))
        {
            return false;
        }
        var name = path[folder.Length..];
        return name.EndsWith(".json", StringComparison.Ordinal) && !name.StartsWith('.') && !name.Contains('/', StringComparison.Ordinal)
            && !name.Any(char.IsControl);
    }

    private static readonly Newtonsoft.Json.Linq.JsonLoadSettings JsonSettings = new()
    {
        CommentHandling = Newtonsoft.Json.Linq.CommentHandling.Ignore,
        LineInfoHandling = Newtonsoft.Json.Linq.LineInfoHandling.Load,
        DuplicatePropertyNameHandling = Newtonsoft.Json.Linq.DuplicatePropertyNameHandling.Error,
    };

    /// <summary>A rule file's JSON as everything that reads the rules takes it: comments skipped, line and column on
    /// every token, a repeated key or anything but comments after the value an error.</summary>
    /// <exception cref="Newtonsoft.Json.JsonReaderException">The text is not such JSON; the exception has the line.</exception>
    public static Newtonsoft.Json.Linq.JToken ParseJson(string text)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text));
        var token = Newtonsoft.Json.Linq.JToken.ReadFrom(reader, JsonSettings);
        while (reader.Read())
        {
            if (reader.TokenType != Newtonsoft.Json.JsonToken.Comment)
            {
                throw new Newtonsoft.Json.JsonReaderException("Additional text found after the end of the JSON content.",
                    reader.Path, reader.LineNumber, reader.LinePosition, null);
            }
        }
        return token;
    }

    private static string ComputeVersion(IReadOnlyDictionary<string, string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
