using BenchmarkDotNet.Attributes;
using ComplaintDiagnostics.Samples;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>
/// One diagnosis, three ways, on the shipped rules and a fixed mix of 256 synthetic tickets
/// (seeded, so every run sees the same mix):
/// (a) raw RulesEngine: ExecuteAllRulesAsync on the workflows as written in the files (every rule of each),
///     with the service's engine settings and the same typed input;
/// (b) the service's core path: the same rules evaluated first hit, reply, deadlines, actions, trace (b'': with
///     every workflow in its rule-by-rule shape, as before the rows were folded);
/// (c) domain.md hand-written in C#, the floor.
/// </summary>
[MemoryDiagnoser]
public class DiagnoseBenchmarks
{
    private const int Mix = 256;
    private RuleSet _rules = null!;
    private RulesEngine.RulesEngine _raw = null!;
    private Diagnoser _diagnoser = null!;
    private Diagnoser _ruleByRule = null!;
    private DiagnoseRequest[] _requests = null!;
    private readonly DiagnosisFacts _facts = new(DiagnosisStatus.Diagnosed, "FIELD_TEST_REQUIRED", Route.NetworkOptimization);

    [GlobalSetup]
    public void Setup()
    {
        var folder = Testing.RepoPaths.Rules;
        var build = RuleSetCompiler.CompileAsync(RuleSources.ReadFolder(folder), DateTimeOffset.UtcNow).GetAwaiter().GetResult();
        _rules = build.RuleSet ?? throw new InvalidOperationException(string.Join("\n", build.Problems));
        _raw = new RulesEngine.RulesEngine(Testing.AsWrittenWorkflows.Read(folder), EngineSettings.Create());
        _diagnoser = new Diagnoser(TimeProvider.System);
        _ruleByRule = new Diagnoser(TimeProvider.System) { RuleByRule = true };
        _requests = [.. SyntheticHistory.Generate(Mix, seed: 42, wrongRate: 0).Select(t => t.Request)];
        // Compile the raw engine's workflows now, as the service does before it takes traffic.
        RawEngine().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Mix, Description = "(a) raw RulesEngine")]
    public Task<int> RawEngine() => RunRaw(budget: null);

    [Benchmark(OperationsPerInvoke = Mix, Description = "(a') raw RulesEngine, cancellable")]
    public async Task<int> RawEngineCancellable()
    {
        // The service always passes a cancellable token (its time budget), which takes another overload.
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await RunRaw(budget.Token);
    }

    [Benchmark(OperationsPerInvoke = Mix, Description = "(b) service core path")]
    public async Task<int> CorePath()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await RunCore(budget.Token);
    }

    [Benchmark(OperationsPerInvoke = Mix, Description = "(b') service core path, no budget")]
    public Task<int> CorePathNoBudget() => RunCore(CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Mix, Description = "(b'') service core path, rule by rule (not folded)")]
    public async Task<int> CorePathRuleByRule()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await RunCore(budget.Token, _ruleByRule);
    }

    [Benchmark(OperationsPerInvoke = Mix, Description = "(c) hand-written floor")]
    public int HandWritten()
    {
        var length = 0;
        foreach (var request in _requests)
        {
            length += DomainReference.Diagnose(request).Cause.Length;
        }
        return length;
    }

    /// <summary>Every rule of the diagnosis workflow and of each policy, as written, for each ticket of the mix;
    /// through the overload without a token unless a budget is given.</summary>
    private async Task<int> RunRaw(CancellationToken? budget)
    {
        ValueTask<List<RuleResultTree>> Execute(string workflow, RuleParameter[] parameters) =>
            budget is { } token ? _raw.ExecuteAllRulesAsync(workflow, parameters, token) : _raw.ExecuteAllRulesAsync(workflow, parameters);

        var matched = 0;
        foreach (var request in _requests)
        {
            var ticket = new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request));
            var results = await Execute(_rules.Diagnosis[request.ComplaintType!.Value].Name, [ticket]);
            matched += results.Count(r => r.IsSuccess);
            RuleParameter[] both = [ticket, new RuleParameter(RuleSetCompiler.DiagnosisParameter, _facts)];
            foreach (var policy in _rules.Policies)
            {
                var policyResults = await Execute(policy.Name, both);
                matched += policyResults.Count(r => r.IsSuccess);
            }
        }
        return matched;
    }

    private async Task<int> RunCore(CancellationToken budget, Diagnoser? diagnoser = null)
    {
        var length = 0;
        foreach (var request in _requests)
        {
            length += (await (diagnoser ?? _diagnoser).DiagnoseAsync(_rules, request, [], budget)).Cause.Code.Length;
        }
        return length;
    }
}
