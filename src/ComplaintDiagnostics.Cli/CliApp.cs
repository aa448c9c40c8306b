using System.CommandLine;
using ComplaintDiagnostics.Cli.Commands;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Cli;

/// <summary>Exit codes every command keeps to.</summary>
internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int Usage = 2;
}

/// <summary>The command line: <c>lint</c>, <c>test</c>, run on the .NET Generic Host.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Diagnoser>();
        builder.Services.AddSingleton<ScenarioRunner>();
        builder.Services.AddSingleton(new Terminal(output, error));
        builder.Services.AddSingleton<LintCommand>();
        builder.Services.AddSingleton<TestCommand>();
        using var host = builder.Build();
        var services = host.Services;

        var rules = new Option<DirectoryInfo>("--rules")
        {
            Description = "The rules folder (default: rules).",
            DefaultValueFactory = _ => new DirectoryInfo("rules"),
        };

        var lint = new Command("lint", "Check the rule files: JSON, keys, causes, reply ids, routes, actions, expressions, unreachable rules.") { rules };
        lint.SetAction((parse, ct) => services.GetRequiredService<LintCommand>().RunAsync(parse.GetValue(rules)!, ct));

        var test = new Command("test", "Run the scenario tests under <rules>/tests/ and show a diff for each failure.") { rules };
        test.SetAction((parse, ct) => services.GetRequiredService<TestCommand>().RunAsync(parse.GetValue(rules)!, ct));

        var root = new RootCommand("ComplaintDiagnostics tools for rule authors and QA.") { lint, test };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var parseError in result.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }
            await error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>Where commands write: injected so tests read what a user would see.</summary>
internal sealed record Terminal(TextWriter Out, TextWriter Error);
