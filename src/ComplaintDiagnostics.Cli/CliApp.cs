using System.CommandLine;
using ComplaintDiagnostics.Cli.Commands;
using ComplaintDiagnostics.Cli.Replay;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComplaintDiagnostics.Cli;


/// <summary>The command line: <c>lint</c>, <c>test</c>, <c>replay</c>, <c>check</c>, <c>generate-history</c>, <c>propose</c>, run on the .NET Generic Host.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Diagnoser>();
        builder.Services.AddSingleton<ScenarioRunner>();
        builder.Services.AddSingleton(new ConsoleOutput(output, error));
        builder.Services.AddSingleton<LintCommand>();
        builder.Services.AddSingleton<TestCommand>();
        builder.Services.AddSingleton<ReplayCommand>();
        builder.Services.AddSingleton<GenerateHistoryCommand>();
        builder.Services.AddSingleton<CheckCommand>();
        builder.Services.AddSingleton<ProposeCommand>();
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

        var replay = ReplayCommandLine(services, rules);

        var outFile = new Option<FileInfo>("--out") { Description = "The file to write: .jsonl or .csv.", Required = true };
        var count = new Option<int>("--count") { Description = "How many tickets.", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same history.", DefaultValueFactory = _ => 20261128 };
        var wrongRate = new Option<double>("--wrong-rate") { Description = "Share of tickets whose confirmed cause differs from the procedure's.", DefaultValueFactory = _ => 0.05 };
        var generate = new Command("generate-history", "Write a synthetic ticket history (realistic mix, labelled from domain.md) for replay and benchmarks.")
        {
            outFile, count, seed, wrongRate,
        };
        generate.SetAction((parse, _) => services.GetRequiredService<GenerateHistoryCommand>().RunAsync(
            parse.GetValue(outFile)!, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(wrongRate)));

        var checkTickets = new Option<FileInfo?>("--tickets") { Description = "Historical tickets to replay (.jsonl or .csv); without them the compare step is skipped." };
        var checkBaseline = new Option<string?>("--baseline") { Description = "What to compare with: a rules folder or a Git revision (default: HEAD when the rules are in Git)." };
        var checkAllow = new Option<bool>("--allow-regression") { Description = "Pass the compare step even when a cause's agreement drops." };
        var checkStore = new Option<string?>("--from-store") { Description = "Compare on the service's decision record instead of --tickets (a connection string or the SQLite file): the figures a proposal's check gives." };
        var checkSince = new Option<string?>("--since") { Description = "With --from-store: only complaints recorded since then (30d, or 2026-11-01)." };
        var check = new Command("check", "The gate for a proposed edit: lint, scenarios and (with --tickets or --from-store) the replay compare, one summary, one exit code.")
        {
            rules, checkTickets, checkBaseline, checkAllow, checkStore, checkSince,
        };
        check.Validators.Add(result =>
        {
            if (result.GetResult(checkTickets) is not null && result.GetResult(checkStore) is not null)
            {
                result.AddError("Give --tickets or --from-store, not both.");
            }
            if (result.GetValue(checkSince) is { } from && (result.GetResult(checkStore) is null || StoreHistory.Since(from, DateTimeOffset.UtcNow) is null))
            {
                result.AddError(result.GetResult(checkStore) is null ? "--since goes with --from-store." : $"--since '{from}' is not a number of days (30d) or a date (2026-11-01).");
            }
        });
        check.SetAction((parse, ct) => services.GetRequiredService<CheckCommand>().RunAsync(new CheckOptions(
            parse.GetValue(rules)!, parse.GetValue(checkTickets), parse.GetValue(checkBaseline), parse.GetValue(checkAllow),
            parse.GetValue(checkStore), parse.GetValue(checkSince)), ct));

        var service = new Option<string>("--service") { Description = "The service in release mode, e.g. https://complaints.noc.example.", Required = true };
        var title = new Option<string>("--title") { Description = "What the change is, in a line.", Required = true };
        var description = new Option<string?>("--description") { Description = "Why, for the approver." };
        var propose = new Command("propose", "Send the rules folder to the service as a proposal (its changed files), checked there; your key in COMPLAINT_DIAGNOSTICS_KEY or token in COMPLAINT_DIAGNOSTICS_TOKEN.")
        {
            rules, service, title, description,
        };
        propose.SetAction((parse, ct) => services.GetRequiredService<ProposeCommand>().RunAsync(new ProposeOptions(
            parse.GetValue(rules)!, parse.GetValue(service)!, parse.GetValue(title)!, parse.GetValue(description)), ct));

        var root = new RootCommand("ComplaintDiagnostics tools for rule authors and QA.") { lint, test, replay, check, generate, propose };
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

    private static Command ReplayCommandLine(IServiceProvider services, Option<DirectoryInfo> rules)
    {
        var tickets = new Option<FileInfo?>("--tickets") { Description = "Historical tickets: .jsonl (a request plus confirmedCause per line) or .csv (request paths as columns)." };
        var fromStore = new Option<string?>("--from-store") { Description = "Replay the service's decision record instead of a file: a connection string (Host=...;Database=... for PostgreSQL) or the SQLite file (data/decisions.db). The latest diagnosis of each ticket with a confirmed cause." };
        var since = new Option<string?>("--since") { Description = "With --from-store: only complaints recorded since then, as days (30d) or a date (2026-11-01)." };
        var server = new Option<string?>("--server") { Description = "Replay against a running service, e.g. http://localhost:5080 (its batch endpoint), instead of a rules folder." };
        var baseline = new Option<string?>("--baseline") { Description = "Also replay through a baseline and report what changes (the gate before an edit goes live): a rules folder, or a Git revision (HEAD, HEAD~1, a tag) of the repository holding --rules." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the full report as JSON." };
        var html = new Option<FileInfo?>("--html") { Description = "Write a self-contained HTML report (confusion heat map, per-cause chart)." };
        var minAgreement = new Option<double?>("--min-agreement") { Description = "Exit 1 when agreement (a percentage, 0-100) is below this." };
        var allowRegression = new Option<bool>("--allow-regression") { Description = "With --baseline: exit 0 even when a cause's agreement drops." };
        var workers = new Option<int?>("--workers") { Description = "How many cores replay a JSON Lines file in this process (default: all; 1 for a single thread). The report is the same either way." };
        var shard = new Option<string?>("--shard") { Description = "Replay only shard K of N (K/N, 0-based): of a JSON Lines file the K-th of N byte ranges, of CSV the tickets at positions K, K+N, ...; merge the shards' --json reports with 'replay merge'." };
        var maxUnreadable = new Option<double>("--max-unreadable-percent")
        {
            Description = "Exit 2 when more than this share (0-100) of the records could not be read at all (not JSON, a CSV quoting error that runs lines together). Default 0: any.",
            DefaultValueFactory = _ => 0,
        };
        var reports = new Argument<FileInfo[]>("reports") { Description = "The JSON reports of the N shards (replay --shard K/N --json FILE).", Arity = ArgumentArity.OneOrMore };
        var merge = new Command("merge", "Combine the shards' JSON reports into the report one run over the whole history gives.")
        {
            reports, json, html, minAgreement, allowRegression, maxUnreadable,
        };
        merge.SetAction((parse, _) => services.GetRequiredService<ReplayCommand>().MergeAsync(parse.GetValue(reports)!, new ReplayOptions(
            new FileInfo("-"), new DirectoryInfo("."), null, null, parse.GetValue(json), parse.GetValue(html), parse.GetValue(minAgreement), parse.GetValue(allowRegression),
            MaxUnreadablePercent: parse.GetValue(maxUnreadable))));
        var command = new Command("replay", "Replay historical tickets against the rules and report agreement with the confirmed causes.")
        {
            tickets, fromStore, since, rules, server, baseline, shard, workers, json, html, minAgreement, allowRegression, maxUnreadable, merge,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(maxUnreadable) is { Tokens.Count: > 0 } given && !double.TryParse(given.Tokens[0].Value, System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                result.AddError($"--max-unreadable-percent '{given.Tokens[0].Value}' is not a number; give a percentage from 0 to 100, e.g. 0.5.");
                return;
            }
            if (result.GetResult(workers) is { Tokens.Count: > 0 } cores && !int.TryParse(cores.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                result.AddError($"--workers '{cores.Tokens[0].Value}' is not a number of cores from 1 to 256.");
                return;
            }
            if ((result.GetResult(tickets) is null) == (result.GetResult(fromStore) is null))
            {
                result.AddError("Give --tickets (a history file) or --from-store (the decision record), one of them.");
            }
            if (result.GetValue(since) is { } from && (result.GetResult(fromStore) is null || StoreHistory.Since(from, DateTimeOffset.UtcNow) is null))
            {
                result.AddError(result.GetResult(fromStore) is null ? "--since goes with --from-store." : $"--since '{from}' is not a number of days (30d) or a date (2026-11-01).");
            }
            if (result.GetResult(server) is not null && result.GetResult(rules) is { Implicit: false })
            {
                result.AddError("Give --rules or --server, not both.");
            }
            if (result.GetValue(workers) is < 1 or > 256)
            {
                result.AddError("--workers is a number of cores from 1 to 256.");
            }
            if (result.GetValue(shard) is { } k && Shard.Parse(k) is null)
            {
                result.AddError($"--shard '{k}' is not K/N with 0 <= K < N, e.g. 0/4.");
            }
            if (result.GetResult(shard) is not null && result.GetResult(fromStore) is not null)
            {
                result.AddError("--shard cuts a history file for jobs on several machines; --from-store already reads the record on every core. Give one of them.");
            }
            if (result.GetValue(maxUnreadable) is < 0 or > 100 or double.NaN)
            {
                result.AddError("--max-unreadable-percent is a percentage from 0 to 100.");
            }
            if (result.GetValue(server) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                result.AddError($"--server '{url}' is not an absolute URL such as http://localhost:5080.");
            }
        });
        command.SetAction((parse, ct) => services.GetRequiredService<ReplayCommand>().RunAsync(new ReplayOptions(
            parse.GetValue(tickets) ?? new FileInfo("-"), parse.GetValue(rules)!, parse.GetValue(server) is { } url ? new Uri(url) : null, parse.GetValue(baseline),
            parse.GetValue(json), parse.GetValue(html), parse.GetValue(minAgreement), parse.GetValue(allowRegression), Shard.Parse(parse.GetValue(shard)), parse.GetValue(workers),
            parse.GetValue(maxUnreadable), parse.GetValue(fromStore), parse.GetValue(since)), ct));
        return command;
    }
}
