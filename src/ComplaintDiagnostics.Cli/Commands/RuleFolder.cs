using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.History;

namespace ComplaintDiagnostics.Cli.Commands;

internal static class RuleFolder
{
    /// <summary>The folder's rule files, or null (with the reason written) when it cannot be read.</summary>
    public static RuleSources? Read(DirectoryInfo folder, ConsoleOutput console)
    {
        try
        {
            return RuleSources.ReadFolder(folder.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"Cannot read the rules folder '{folder.FullName}': {ex.Message}");
            return null;
        }
    }

    /// <summary>A baseline named on the command line: a rules folder when one exists at that path, else a Git revision
    /// (<c>HEAD</c>, <c>HEAD~1</c>, a tag, a hash) of the repository holding <paramref name="rules"/>, read from Git's
    /// object store without touching the working tree. Null (with the reason written) when it is neither.</summary>
    public static RuleSources? ReadBaseline(string baseline, DirectoryInfo rules, ConsoleOutput console)
    {
        if (Directory.Exists(baseline))
        {
            return Read(new DirectoryInfo(baseline), console);
        }
        if (GitRules.Find(rules.FullName) is not { } git)
        {
            console.Error.WriteLine($"--baseline '{baseline}' is not a folder, and '{rules.FullName}' is not in a Git working tree where it could be a revision.");
            return null;
        }
        try
        {
            return git.ReadAt(baseline);
        }
        catch (GitRulesException ex)
        {
            console.Error.WriteLine($"--baseline '{baseline}' is not a folder, nor a revision with rules under '{git.Prefix}' in {git.Root}: {ex.Message}");
            return null;
        }
    }
}
