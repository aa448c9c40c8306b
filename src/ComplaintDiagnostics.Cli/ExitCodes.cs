namespace ComplaintDiagnostics.Cli;

/// <summary>Exit codes every command keeps to.</summary>
internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Usage = 2;
}
