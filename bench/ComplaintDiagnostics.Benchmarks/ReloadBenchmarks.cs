using System.Text;
using BenchmarkDotNet.Attributes;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>Time to read nothing but compile, validate and warm a rule set: the shipped rules, and the
/// shipped rules with a synthetic 2,000-rule data workflow (what a reload costs off the request path).</summary>
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
        for (var i = 0; i < 1999; i++)
        {
            rules.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{ "RuleName": "R{{i}}", "Expression": "ticket.Location.SignalBars == {{i % 6}} && ticket.Location.Description == \"site {{i}}\"", "Properties": { "cause": "NETWORK_INVESTIGATION", "route": "noc", "reply": "network.investigating" } },""");
        }
        rules.Append("""{ "RuleName": "Fallback", "Expression": "true", "Properties": { "cause": "NETWORK_INVESTIGATION", "route": "noc", "reply": "network.investigating" } }""");
        files["workflows/data.json"] = $$"""{ "WorkflowName": "Data", "Rules": [ {{rules}} ] }""";
        _large = new RuleSources(files);
    }

    [Benchmark(Baseline = true, Description = "shipped rules (30)")]
    public Task<RuleSetBuild> Shipped() => RuleSetCompiler.CompileAsync(_shipped, DateTimeOffset.UnixEpoch);

    [Benchmark(Description = "2,000-rule data workflow")]
    public Task<RuleSetBuild> Large() => RuleSetCompiler.CompileAsync(_large, DateTimeOffset.UnixEpoch);
}
