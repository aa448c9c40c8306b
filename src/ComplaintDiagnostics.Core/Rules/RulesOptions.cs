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

    /// <summary>In release mode: the rules repository, a Git repository (bare or not) at a path every replica reaches, whose
    /// <c>rules/</c> folder holds the rule files; with <see cref="Remote"/>, this replica's own clone of that one.</summary>
    public string Repository { get; set; } = "";

    /// <summary>In release mode, optional: the shared rules repository every replica works on, as a Git URL (an HTTPS or SSH
    /// server, or a path). <see cref="Repository"/> is then this replica's own clone of it: every poll fetches the lifecycle's
    /// branches and release tags from it, and every lifecycle action is pushed to it in one atomic push leased on the
    /// lifecycle branch it read, so replicas with no shared disk (deploy/k8s) share one lifecycle. Credentials come from
    /// Git's own configuration (a credential helper or an SSH key), never from this URL.</summary>
    public string Remote { get; set; } = "";

    public bool IsReleaseMode => Source == ReleaseSource;

    public string RepositoryFullPath => Repository.Length == 0 ? "" : System.IO.Path.GetFullPath(Repository);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsReleaseMode && string.IsNullOrWhiteSpace(Repository))
        {
            yield return new("Rules:Source is release but Rules:Repository is empty: name the Git repository whose rules/ folder holds the rules.", [nameof(Repository)]);
        }
        if (Remote.Length > 0 && !IsReleaseMode)
        {
            yield return new("Rules:Remote is set but Rules:Source is not release: a remote rules repository serves releases only.", [nameof(Remote)]);
        }
        if (Remote.Length > 0 && Lifecycle.RulesRemote.Problem(Remote) is { } problem)
        {
            yield return new($"Rules:Remote is refused: {problem}.", [nameof(Remote)]);
        }
    }
}
