namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>What the recorder reports in <c>/api/v1/rules/status</c>.</summary>
public sealed record RecorderStatus(
    bool Enabled, string Provider, bool StoreReachable, string? LastError, DateTimeOffset? LastErrorAt, long Stored, int Queued,
    long SpoolBytes, long Lost, long SpoolUnreadable);
