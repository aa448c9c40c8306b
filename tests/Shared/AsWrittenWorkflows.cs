using Newtonsoft.Json;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Testing;

/// <summary>The workflow files read straight into RulesEngine's own model, one engine rule per rule as written:
/// what "raw RulesEngine" means in the first-hit comparison test and the benchmarks. (The rule files are
/// RulesEngine workflow JSON with comments and a <c>$schema</c> key, both of which Json.NET skips.)</summary>
internal static class AsWrittenWorkflows
{
    public static Workflow[] Read(string rulesFolder) =>
    [
        .. Directory.EnumerateFiles(Path.Combine(rulesFolder, "workflows"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(file => JsonConvert.DeserializeObject<Workflow>(File.ReadAllText(file))!),
    ];
}
