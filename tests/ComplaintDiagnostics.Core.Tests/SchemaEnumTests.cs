using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>The value lists in the JSON Schemas (what an editor completes and every reload checks) are the C#
/// enums the service reads them into (action codes are rule data: actions.json): they cannot drift apart.</summary>
public sealed class SchemaEnumTests
{
    public static TheoryData<string, string> Lists() => new()
    {
        { "status", string.Join(",", ContractJson.WireNames<DiagnosisStatus>()) },
        { "route", string.Join(",", ContractJson.WireNames<Route>()) },
        { "priority", string.Join(",", ContractJson.WireNames<Priority>()) },
        { "due", string.Join(",", Enum.GetNames<DeadlineKind>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])) },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void EverySchemaListOfAPropertyIsTheCodesList(string property, string expected)
    {
        var found = 0;
        foreach (var name in RuleSchemas.Names)
        {
            foreach (var list in EnumsOf(JsonNode.Parse(RuleSchemas.Text(name)!)!, property))
            {
                found++;
                Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), list.Order(StringComparer.Ordinal));
            }
        }
        Assert.True(found > 0, $"no schema lists values for '{property}'");
    }

    private static IEnumerable<string[]> EnumsOf(JsonNode node, string property)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (key == property && value is JsonObject { } schema && schema["enum"] is JsonArray values)
                {
                    yield return [.. values.Select(v => v!.GetValue<string>())];
                }
                if (value is not null)
                {
                    foreach (var inner in EnumsOf(value, property))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>().SelectMany(i => EnumsOf(i, property)))
            {
                yield return item;
            }
        }
    }
}
