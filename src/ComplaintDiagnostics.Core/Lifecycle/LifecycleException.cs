namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>Why a lifecycle action is refused; nothing was written to the repository.</summary>
public enum LifecycleRefusal
{
    /// <summary>The request itself is wrong (a path out of rules/, a file no reload reads, rules that do not lint).</summary>
    Invalid,

    /// <summary>The person may not do this (an author approving their own proposal).</summary>
    Forbidden,

    NotFound,

    /// <summary>The state does not allow it now (already approved, no longer based on the active release).</summary>
    Conflict,
}

public sealed class LifecycleException(LifecycleRefusal refusal, string message, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(message)
{
    public LifecycleRefusal Refusal { get; } = refusal;

    /// <summary>By field, for a refusal of the request's content.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}
