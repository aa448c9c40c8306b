using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.Tables;
using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// The table columns in workflow.schema.json (what an editor completes as a NOC engineer types a <c>When</c> row)
/// are the columns the compiler accepts, with the contract's values: derived from the same types, so they cannot
/// drift apart. When the contract gains a field, run the tests with <c>UPDATE_SCHEMAS=1</c> to rewrite the
/// generated definitions, and review the diff.
/// </summary>
public sealed class SchemaTableTests
{
    private static readonly string SchemaPath = Path.Combine(RepoPaths.Rules, "schema", "workflow.schema.json");

    [Fact]
    public void WhenColumnsAndValuesInTheSchemaAreTheCompilersColumns()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();
        var definitions = schema["definitions"]!.AsObject();
        var expected = GeneratedDefinitions();
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1")
        {
            foreach (var (key, value) in expected)
            {
                definitions[key] = value!.DeepClone();
            }
            File.WriteAllText(SchemaPath, schema.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }) + "\n");
        }
        foreach (var (key, value) in expected)
        {
            Assert.True(JsonNode.DeepEquals(value, definitions[key]),
                $"definitions.{key} of workflow.schema.json is not what the columns say; run the tests with UPDATE_SCHEMAS=1 and review the diff.");
        }
        // The schema the service runs on every reload is the file: the embedded copy is built from it.
        Assert.True(JsonNode.DeepEquals(schema, JsonNode.Parse(RuleSchemas.Text("workflow.schema.json")!)));
    }

    [Fact]
    public void TheSchemaOffersEveryRequestPathForMustStateAndNoPersonalDataAsAColumn()
    {
        var definitions = JsonNode.Parse(File.ReadAllText(SchemaPath))!["definitions"]!;
        var paths = definitions["paths"]!["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(RequestFields.Paths, paths);
        var columns = definitions["when"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("customer.tier", columns);
        Assert.Contains("frontDeskChecks.restarted", columns);
        Assert.DoesNotContain("customer.msisdn", columns);
        Assert.DoesNotContain("ticketId", columns);
    }

    private static JsonObject GeneratedDefinitions()
    {
        var result = new JsonObject();
        var columns = new JsonObject();
        foreach (var column in TablePaths.All)
        {
            var test = column.Kind == ColumnKind.Choice ? $"choice.{column.Path}" : $"test.{column.Kind.ToString().ToLowerInvariant()}";
            if (column.Kind == ColumnKind.Choice)
            {
                result[test] = Test(new JsonObject { ["enum"] = new JsonArray([.. column.Values.Select(v => (JsonNode)v.Wire!), null]) }, numbers: false);
            }
            columns[column.Path] = new JsonObject { ["$ref"] = $"#/definitions/{test}" };
        }
        result["test.boolean"] = Test(new JsonObject { ["type"] = new JsonArray("boolean", "null") }, numbers: false);
        result["test.text"] = Test(new JsonObject { ["type"] = new JsonArray("string", "null") }, numbers: false);
        result["test.number"] = Test(new JsonObject { ["type"] = new JsonArray("number", "null") }, numbers: true);
        result["when"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A decision-table row: column (a request path as in the contract; diagnosis.* in policies, followUp.* in the escalation) → test; every cell must hold. {} always matches.",
            ["additionalProperties"] = false,
            ["properties"] = columns,
        };
        result["paths"] = new JsonObject
        {
            ["type"] = "array",
            ["minItems"] = 1,
            ["uniqueItems"] = true,
            ["items"] = new JsonObject { ["enum"] = new JsonArray([.. RequestFields.Paths.Select(p => (JsonNode)p!)]) },
        };
        return result;
    }

    /// <summary>A value (equality), null (unknown), a list (any of), or an operator object.</summary>
    private static JsonObject Test(JsonObject value, bool numbers)
    {
        var list = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = value.DeepClone() };
        var operators = new JsonObject
        {
            ["not"] = new JsonObject { ["anyOf"] = new JsonArray(value.DeepClone(), list.DeepClone()) },
            ["known"] = new JsonObject { ["type"] = "boolean" },
        };
        if (numbers)
        {
            foreach (var op in new[] { ">", ">=", "<", "<=" })
            {
                operators[op] = new JsonObject { ["type"] = "number" };
            }
        }
        return new JsonObject
        {
            ["anyOf"] = new JsonArray(
                value,
                list,
                new JsonObject { ["type"] = "object", ["minProperties"] = 1, ["additionalProperties"] = false, ["properties"] = operators }),
        };
    }
}
