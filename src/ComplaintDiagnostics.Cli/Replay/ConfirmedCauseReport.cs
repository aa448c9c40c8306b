using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>What a replay reports of the confirmed causes it read (<see cref="ConfirmedCauses"/>, in Core: the outcomes
/// endpoint reads them alike).</summary>
internal static class ConfirmedCauseReport
{
    /// <summary>Of the confirmed causes a tally counted, those that are no code of the catalogue: each with how many
    /// tickets confirm it and the code it may have meant.</summary>
    public static IReadOnlyList<UnknownCause> Unknown(this ConfirmedCauses causes, ReplayTally tally)
    {
        ArgumentNullException.ThrowIfNull(causes);
        ArgumentNullException.ThrowIfNull(tally);
        return [.. tally.Causes.Where(c => c.Support > 0 && !causes.IsCode(c.Cause))
            .Select(c => c.Cause.Contains('\uFFFD', StringComparison.Ordinal)
                ? new UnknownCause(c.Cause, c.Support, null) { NotUtf8 = true }
                : new UnknownCause(c.Cause, c.Support, causes.Meant(c.Cause)))];
    }
}

/// <summary>A confirmed cause that is no cause of the rules: how many tickets confirm it, and the code it may have meant.</summary>
internal sealed record UnknownCause(string Cause, long Support, string? Meant)
{
    /// <summary>Its bytes were not UTF-8 (read as U+FFFD): most likely a label in a history saved as GBK ("ANSI" on a
    /// Chinese Windows), which reads as no cause at all.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool NotUtf8 { get; init; }

    /// <summary>What the reports say after the count (the console, and the HTML page from the JSON): how to read the
    /// text, or the code meant; null when there is nothing to say.</summary>
    public string? Advice => NotUtf8 ? "the text is not UTF-8: was the history saved as GBK (ANSI)? Save it as UTF-8."
        : Meant is { } meant ? $"did you mean {meant}?" : null;
}
