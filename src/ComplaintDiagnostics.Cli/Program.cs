namespace ComplaintDiagnostics.Cli;

internal static class EntryPoint
{
    // A named entry point rather than top-level statements: the API's Program class stays unambiguous
    // for projects (the tests) that reference both.
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
