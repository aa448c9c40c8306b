using System.ComponentModel.DataAnnotations;

namespace ComplaintDiagnostics.Decisions;

/// <summary>The <c>Decisions</c> settings (docs/operations.md, "The decision record"). The store's connection string is
/// <c>ConnectionStrings:Decisions</c>.</summary>
public sealed class DecisionOptions
{
    public const string Section = "Decisions";
    public const string ConnectionStringName = "Decisions";

    /// <summary>The SQLite file used when no connection string is set: beside the last-good copy, under the data folder.</summary>
    public const string DefaultSqlite = "Data Source=data/decisions.db";

    /// <summary>False: nothing is recorded, answers carry no decisionId, nothing is looked up in the record.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>sqlite</c> (embedded, one replica) or <c>postgresql</c> (many replicas).</summary>
    [RegularExpression("^(sqlite|postgresql)$", ErrorMessage = "Decisions:Provider must be sqlite or postgresql.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Where decisions wait while the store is slow or down.</summary>
    [Required]
    public string SpoolPath { get; set; } = "data/decision-spool";

    /// <summary>The most the spool holds on disk; past it, new decisions are counted as lost.</summary>
    [Range(1, 1_048_576)]
    public int SpoolMegabytes { get; set; } = 1024;

    /// <summary>Decisions waiting in memory for the writer (a few KB each); past it, counted as lost. The writer takes
    /// them every flush interval, so a full queue means the spool cannot be written either.</summary>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>The most decisions written in one transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>How long a decision waits in memory at most before it is written (or spooled).</summary>
    [Range(10, 1_000)]
    public int FlushMilliseconds { get; set; } = 200;

    /// <summary>A write that takes longer goes to the spool as well (writes are idempotent): together with
    /// <see cref="FlushMilliseconds"/> this bounds what a SIGKILL can lose to under a second.</summary>
    [Range(50, 60_000)]
    public int WriteTimeoutMilliseconds { get; set; } = 600;

    /// <summary>How long decisions and outcomes are kept.</summary>
    [Range(1, 36_500)]
    public int RetainDays { get; set; } = 180;

    /// <summary>How often the purge runs.</summary>
    [Range(1, 1_440)]
    public int PurgeEveryMinutes { get; set; } = 60;
}
