using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>What the reloader logs: every value from a rule file or the folder through <see cref="Contracts.Privacy.Clean(string?)"/>.</summary>
public sealed partial class RuleSetReloader
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rules {Version} accepted and in service")]
    private partial void LogAccepted(string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rules {Version} accepted and in service with {WarningCount} warning(s):\n{Warnings}")]
    private partial void LogAcceptedWithWarnings(string version, int warningCount, ProblemList warnings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules {Version} refused with {ProblemCount} problem(s); still serving {ServingVersion}:\n{Problems}")]
    private partial void LogRefused(string version, int problemCount, string servingVersion, ProblemList problems);

    /// <summary>Formats the problems one per line, only when the log line is written.</summary>
    private sealed class ProblemList(IReadOnlyList<RuleProblem> problems)
    {
        // Through the door request values take: a problem quotes rule files, whose text is the NOC's, not ours.
        public override string ToString() => string.Join(Environment.NewLine, problems.Select(p => "  " + Contracts.Privacy.Clean(p.ToString())));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules folder unreadable ({Reason}); still serving {ServingVersion}")]
    private partial void LogUnreadable(string reason, string servingVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the rules failed unexpectedly; the rule set in service is unchanged")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rules folder is refused and nothing else is in service: serving the last accepted rules {Version} from {Path}")]
    private partial void LogServingLastGood(string version, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the last-good copy of the rules to {Path} ({Reason})")]
    private partial void LogLastGoodNotSaved(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Folder} for changes ({Reason}); relying on polling")]
    private partial void LogWatchUnavailable(string folder, string reason);
}
