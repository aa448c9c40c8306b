using System.ComponentModel.DataAnnotations;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Where the rules live and how edits are picked up (configuration section <c>Rules</c>).</summary>
public sealed class RulesOptions : IValidatableObject
{
    public const string Section = "Rules";

    /// <summary>The rules folder; a relative path is taken from the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "rules";

    /// <summary>How long the folder must stay quiet after a change before it is reloaded, so that a
    /// save touching several files becomes one version.</summary>
    [Range(0, 10_000)]
    public int DebounceMilliseconds { get; set; } = 250;

    /// <summary>How often the folder's content is re-read regardless of file events (which never fire on
    /// some bind mounts and network file systems); 0 turns polling off.</summary>
    [Range(0, 3600)]
    public double PollSeconds { get; set; } = 2;

    /// <summary>How many accepted versions <c>GET /api/v1/rules/history</c> keeps.</summary>
    [Range(1, 1000)]
    public int HistorySize { get; set; } = 20;

    /// <summary>Where to keep a copy of the last accepted rule set, served at start when the folder is refused; a
    /// relative path is taken from the working directory. By default a file in the service's data folder; empty: no
    /// copy. Where it cannot be written (a read-only file system), each accepted version logs a warning and a restart
    /// on a refused folder serves nothing. Put it on a volume that outlives the process.</summary>
    public string LastGoodPath { get; set; } = DefaultLastGoodPath;

    /// <summary>The default <see cref="LastGoodPath"/>: <c>data/last-good-rules.json</c> under the working directory.</summary>
    public const string DefaultLastGoodPath = "data/last-good-rules.json";

    /// <summary>The largest rule or scenario file read, in KiB; a larger one refuses the edit (a runaway export, a
    /// link to a device) instead of taking the service's memory.</summary>
    [Range(1, 64 * 1024)]
    public int MaxFileKilobytes { get; set; } = 1024;

    /// <summary>The most read from the rules folder (or its scenarios) in one reload, in KiB.</summary>
    [Range(1, 256 * 1024)]
    public int MaxSetKilobytes { get; set; } = 8 * 1024;

    /// <summary>How long one read of the folder may take (a hung network mount) before the attempt is refused and
    /// the rules in service kept.</summary>
    [Range(0.1, 600)]
    public double ReadTimeoutSeconds { get; set; } = 5;

    /// <summary>The limits above, as the folder reader takes them.</summary>
    public Files.ReadLimits ReadLimits =>
        new(MaxFileKilobytes * 1024L, MaxSetKilobytes * 1024L, TimeSpan.FromSeconds(ReadTimeoutSeconds));

    public string FullPath => System.IO.Path.GetFullPath(Path);

    /// <summary><c>folder</c>: serve <see cref="Path"/> as written (every saved edit goes live once it compiles). <c>release</c>:
    /// serve the active release of <see cref="Repository"/>; an edit reaches customers only through a proposal, its check
    /// and a second person's approval (docs/operations.md, "Releases").</summary>
    [AllowedValues(FolderSource, ReleaseSource)]
    public string Source { get; set; } = FolderSource;

    public const string FolderSource = "folder";
    public const string ReleaseSource = "release";

    /// <summary>In release mode: the rules repository, a Git repository (bare or not, a local path or a clone kept by
    /// git-sync) whose <c>rules/</c> folder holds the rule files.</summary>
    public string Repository { get; set; } = "";

    public bool IsReleaseMode => Source == ReleaseSource;

    public string RepositoryFullPath => Repository.Length == 0 ? "" : System.IO.Path.GetFullPath(Repository);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsReleaseMode && string.IsNullOrWhiteSpace(Repository))
        {
            yield return new("Rules:Source is release but Rules:Repository is empty: name the Git repository whose rules/ folder holds the rules.", [nameof(Repository)]);
        }
    }
}
