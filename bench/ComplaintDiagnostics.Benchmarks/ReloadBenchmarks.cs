using System.Text;
using BenchmarkDotNet.Attributes;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>Time to read nothing but compile, validate and warm a rule set: the shipped rules, and the
/// shipped rules with a synthetic data workflow that brings the rule set to its limit of 2,000 rules (what a
/// reload costs off the request path).</summary>
[MemoryDiagnoser]
public class ReloadBenchmarks
{
    private RuleSources _shipped = null!;
    private RuleSources _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _shipped = RuleSources.ReadFolder(Testing.RepoPaths.Rules);
        var files = _shipped.Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        var rules = new StringBuilder();
        // The other workflows' rules count towards the limit: a larger workflow would measure a refusal.
        var others = Compile(_shipped).Workflows.Where(w => w.Name != "Data").Sum(w => w.Rules.Count);
        for (var i = 0; i < RuleSetCompiler.MaxRules - others - 1; i++)
        {
            rules.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{ "RuleName": "R{{i}}", "Expression": "ticket.Location.SignalBars == {{i % 6}} && ticket.Location.Description == \"site {{i}}\"", "Properties": { "cause": "NETWORK_INVESTIGATION", "route": "noc", "reply": "network.investigating" } },""");
        }
        rules.Append("""{ "RuleName": "Fallback", "Expression": "true", "Properties": { "cause": "NETWORK_INVESTIGATION", "route": "noc", "reply": "network.investigating" } }""");
        files["workflows/data.json"] = $$"""{ "WorkflowName": "Data", "Rules": [ {{rules}} ] }""";
        _large = new RuleSources(files);
        Compile(_large);
    }

    private static RuleSet Compile(RuleSources sources)
    {
        var build = RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch).GetAwaiter().GetResult();
        return build.RuleSet ?? throw new InvalidOperationException("refused: " + string.Join("; ", build.Problems));
    }

    [Benchmark(Baseline = true, Description = "shipped rules (30)")]
    public Task<RuleSetBuild> Shipped() => RuleSetCompiler.CompileAsync(_shipped, DateTimeOffset.UnixEpoch);

    [Benchmark(Description = "rule set at its 2,000-rule limit")]
    public Task<RuleSetBuild> Large() => RuleSetCompiler.CompileAsync(_large, DateTimeOffset.UnixEpoch);
}
