using System.ComponentModel.DataAnnotations;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Where the rules live and how edits are picked up (configuration section <c>Rules</c>).</summary>
public sealed class RulesOptions
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

    /// <summary>Where to keep a copy of the last accepted rule set, served at start when the folder is refused
    /// (empty: no copy). Put it on a volume that outlives the process.</summary>
    public string LastGoodPath { get; set; } = "";

    public string FullPath => System.IO.Path.GetFullPath(Path);
}
