using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>What a new integrator reads in the OpenAPI document: the Accept-Language header that picks the reply
/// language, and a real answer of the rules in service for each example request.</summary>
public sealed class SwaggerDocumentTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private async Task<JsonElement> Document()
    {
        using var client = factory.CreateClient();
        return await client.GetJsonAsync("/swagger/v1/swagger.json");
    }

    private async Task<JsonElement> Schema(string name) => (await Document()).GetProperty("components").GetProperty("schemas").GetProperty(name);

    private async Task<JsonElement> DiagnoseOperation()
    {
        using var client = factory.CreateClient();
        await client.DiagnoseAsync(Complaint.Data()); // the rules are loaded
        var document = await client.GetJsonAsync("/swagger/v1/swagger.json");
        return document.GetProperty("paths").GetProperty("/api/v1/diagnose").GetProperty("post");
    }

    [Fact]
    public async Task NoDescriptionNamesADotNetType()
    {
        // A <see cref> in a doc comment reached integrators as "Every field but ComplaintDiagnostics.Contracts.DiagnoseRequest.ComplaintType
        // is optional" and "level: 0 to ComplaintDiagnostics.Contracts.Escalation.HighestLevel".
        var descriptions = new List<string>();
        void Collect(JsonElement element)
        {
            foreach (var property in element.ValueKind == JsonValueKind.Object ? element.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            {
                if (property.Name is "description" or "summary" && property.Value.ValueKind == JsonValueKind.String)
                {
                    descriptions.Add(property.Value.GetString()!);
                }
                Collect(property.Value);
            }
            foreach (var item in element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                Collect(item);
            }
        }
        Collect(await Document());

        Assert.NotEmpty(descriptions);
        Assert.DoesNotContain(descriptions, d => d.Contains("ComplaintDiagnostics.", StringComparison.Ordinal) || d.Contains("System.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Location", "signalBars", 0, 5)]
    [InlineData("Location", "latitude", -90, 90)]
    [InlineData("Location", "longitude", -180, 180)]
    [InlineData("FollowUpProgress", "postponements", 0, int.MaxValue)]
    [InlineData("Escalation", "level", 0, 3)]
    public async Task ANumbersRangeIsInTheDocument(string schema, string property, double minimum, double maximum)
    {
        // The ranges the service refuses outside of (and the contract's escalation levels), where a client generator sees them.
        var field = (await Schema(schema)).GetProperty("properties").GetProperty(property);
        Assert.Equal((minimum, maximum), (field.GetProperty("minimum").GetDouble(), field.GetProperty("maximum").GetDouble()));
    }

    [Theory]
    [InlineData("DiagnoseResponse", "actions,cause,deadlines,missingFields,priority,reply,route,rulesVersion,status,trace")]
    [InlineData("Cause", "code,group,label")]
    [InlineData("Reply", "language,templateId,text")]
    [InlineData("FollowUpResponse", "cause,deadlines,escalation,overdue,rulesVersion,status")]
    [InlineData("Escalation", "level,notify,notifyLabels")]
    public async Task WhatEveryAnswerCarriesIsRequiredInTheDocument(string schema, string required)
    {
        // missingFields and actions are written on every answer (empty, not absent), a cause's group even when null: a
        // client generator had them as optional and nullable.
        var found = (await Schema(schema)).GetProperty("required");
        Assert.Equal(required.Split(','), found.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AcceptLanguageIsADocumentedHeader()
    {
        var operation = await DiagnoseOperation();

        var header = Assert.Single(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Accept-Language");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.Equal(["zh-CN", "en"], header.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task EachExampleRequestHasTheRealAnswerAsItsResponseExample()
    {
        var operation = await DiagnoseOperation();

        var examples = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal(["data", "voice", "voiceNeedsInfo", "coverage", "groupFault"], examples.EnumerateObject().Select(e => e.Name));
        var needsInfo = examples.GetProperty("voiceNeedsInfo").GetProperty("value");
        Assert.Equal("needsInfo", needsInfo.GetProperty("status").GetString());
        Assert.Equal(["network.activeAlarms", "network.kpiAbnormal", "network.similarUnresolvedComplaints"],
            needsInfo.GetProperty("missingFields").EnumerateArray().Select(f => f.GetString()));
        var voice = examples.GetProperty("voice").GetProperty("value");
        Assert.Equal("FIELD_TEST_REQUIRED", voice.GetProperty("cause").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(voice.GetProperty("reply").GetProperty("workOrderText").GetString()));
        Assert.DoesNotContain("additionalProp1", examples.GetRawText(), StringComparison.Ordinal);
    }
}
