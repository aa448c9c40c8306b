namespace ComplaintDiagnostics.Cli;

/// <summary>Where commands write: injected so tests read what a user would see.</summary>
internal sealed record Terminal(TextWriter Out, TextWriter Error);
