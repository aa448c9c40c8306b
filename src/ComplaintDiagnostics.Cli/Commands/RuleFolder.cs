using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Commands;

internal static class RuleFolder
{
    /// <summary>The folder's rule files, or null (with the reason written) when it cannot be read.</summary>
    public static RuleSources? Read(DirectoryInfo folder, Terminal console)
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
}
