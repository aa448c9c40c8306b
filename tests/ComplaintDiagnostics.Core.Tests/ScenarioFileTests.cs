using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Testing;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Scenarios;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>A scenario file says what the rules must answer; a typo in it must never make a scenario pass while it
/// checks less than it says, and one wrong value must not hide the file's other scenarios.</summary>
public sealed class ScenarioFileTests
{
    private const string File = "tests/authored.json";

    private static (List<Scenario> Scenarios, List<string> Errors) Parse(string text) =>
        ScenarioFiles.Parse(new Dictionary<string, string> { [File] = text });

    /// <summary>Each was ignored: the scenario ran without that expectation (or as a diagnosis, not a follow-up), or on a
    /// complaint other than the one its author wrote (the service ignores a key the contract does not name, so that
    /// newer clients do not fail), and passed.</summary>
    [Theory]
    [InlineData("\"expect\": { \"statu\": \"needsInfo\" }", "\"statu\" is not an allowed key here; did you mean \"status\"?")]
    [InlineData("\"expect\": { \"cause\": \"X\", \"matchedRul\": \"R1\" }", "\"matchedRul\" is not an allowed key here; did you mean \"matchedRule\"?")]
    [InlineData("\"expect\": { \"deadlines\": { \"contactB\": null } }", "\"contactB\" is not an allowed key here; did you mean \"contactBy\"?")]
    [InlineData("\"expect\": {}, \"progres\": { \"postponements\": 2 }", "\"progres\" is not an allowed key here; did you mean \"progress\"?")]
    [InlineData("\"request\": { \"complaintType\": \"data\", \"inArrear\": true }", "\"inArrear\" is not an allowed key here; did you mean \"inArrears\"?")]
    [InlineData("\"request\": { \"complaintType\": \"data\", \"Billing\": \"ocs\" }", "\"Billing\" is not an allowed key here; did you mean \"billing\"?")]
    [InlineData("\"request\": { \"complaintType\": \"data\", \"network\": { \"activeAlarm\": true } }", "\"activeAlarm\" is not an allowed key here; did you mean \"activeAlarms\"?")]
    [InlineData("\"request\": { \"complaintType\": \"data\", \"customer\": { \"teir\": \"groupLocal\" } }", "\"teir\" is not an allowed key here; did you mean \"tier\"?")]
    public void AMisspeltKeyIsAnErrorWithItsLineAndTheKeyMeant(string part, string message)
    {
        var request = part.Contains("\"request\"", StringComparison.Ordinal) ? "" : "\"request\": { \"complaintType\": \"data\" }, ";
        var expect = part.Contains("\"expect\"", StringComparison.Ordinal) ? "" : ", \"expect\": {}";
        var (_, errors) = Parse($$"""
            { "scenarios": [
              { "name": "typo",
                {{request}}{{part}}{{expect}} }
            ] }
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{File}:3:", error, StringComparison.Ordinal);
        Assert.EndsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void EachScenarioIsReadOnItsOwnAndSaysWhatIsWrongInWords()
    {
        var (scenarios, errors) = Parse("""
            // A wrong value in one scenario once refused the whole file; a missing "expect" named a .NET type.
            { "scenarios": [
              { "name": "bad route", "request": { "complaintType": "data" }, "expect": { "route": "nco" } },
              { "name": "no expect", "request": { "complaintType": "data" } },
              { "name": "wrong type", "request": { "complaintType": "data", "inArrears": "yes" }, "expect": {} },
              { "name": "twice", "request": { "complaintType": "data", "billing": "ocs", "billing": "postpaid" }, "expect": {} },
              { "name": "runs", "request": { "complaintType": "data" }, "expect": { "status": "needsInfo" } }
            ] }
            """);

        Assert.Equal(["runs"], scenarios.Select(s => s.Name));
        Assert.Equal(
            [
                $"{File}: scenario 'bad route': expect.route: 'nco' is not allowed; use one of: frontDesk, noc, networkOptimization, customerService, groupCustomerMaintenance.",
                $"{File}: scenario 'no expect': needs \"expect\".",
                $"{File}: scenario 'wrong type': request.inArrears: expected true or false.",
                $"{File}: scenario 'twice': request.billing: given more than once; send each property once.",
            ],
            errors);
    }

    [Theory]
    [InlineData("{ \"scenario\": [] }")]
    [InlineData("[]")]
    [InlineData("{ \"scenarios\": [], \"scenarios\": [] }")]
    public void AFileThatIsNotAListOfScenariosSaysSo(string text)
    {
        // The first once read as a file of no scenarios, and `test` passed with nothing checked from it.
        var (scenarios, errors) = Parse(text);

        Assert.Empty(scenarios);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith(File, e, StringComparison.Ordinal));
    }

    [Fact]
    public void TheScenarioSchemaNamesEveryRequestKeyTheContractHas()
    {
        // The schema lists the request's keys (a typo is found by it); the contract's type is the source of truth. When the
        // contract gains a field, run the tests with UPDATE_SCHEMAS=1 to rewrite the list, and review the diff.
        var path = System.IO.Path.Combine(RepoPaths.Rules, "schema", "scenarios.schema.json");
        var schema = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        var request = schema["definitions"]!["request"]!.AsObject();
        var expected = Keys(typeof(DiagnoseRequest));
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1")
        {
            request["properties"] = expected.DeepClone();
            System.IO.File.WriteAllText(path, schema.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }) + "\n");
        }

        Assert.True(JsonNode.DeepEquals(expected, request["properties"]),
            $"definitions.request of scenarios.schema.json does not list the contract's keys {string.Join(", ", RequestFields.Paths)}; run the tests with UPDATE_SCHEMAS=1 and review the diff.");
        // The schema the service reads scenarios with is the file: the embedded copy is built from it.
        Assert.True(JsonNode.DeepEquals(schema, JsonNode.Parse(RuleSchemas.Text("scenarios.schema.json")!)));
    }

    /// <summary>A contract object's keys as the schema lists them: a value's key holds {}, an object's its own keys.</summary>
    private static JsonObject Keys(Type type)
    {
        var keys = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var inner = property.PropertyType;
            keys[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = inner.IsClass && inner.Namespace == type.Namespace
                ? new JsonObject { ["additionalProperties"] = false, ["properties"] = Keys(inner) }
                : new JsonObject();
        }
        return keys;
    }
}
