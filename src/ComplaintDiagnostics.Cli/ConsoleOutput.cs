namespace ComplaintDiagnostics.Cli;

/// <summary>Where commands write: injected so tests read what a user would see.</summary>
internal sealed record ConsoleOutput(TextWriter Out, TextWriter Error);
