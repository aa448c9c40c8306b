using System.Reflection;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The service writes its answers by hand (<see cref="DiagnoseResponseWriter"/>): the bytes must be the
/// serializer's, for every answer the rules give and for every property the contract has.</summary>
public sealed class DiagnoseResponseWriterTests
{
    private static readonly JsonSerializerOptions ByHand = WithWriter();

    [Fact]
    public async Task EveryAnswerOfTheShippedRulesIsWrittenAsTheSerializerWritesIt()
    {
        var rules = (await RuleSetCompiler.CompileAsync(RuleSources.ReadFolder(RepoPaths.Rules), DateTimeOffset.UnixEpoch)).RuleSet!;
        var diagnoser = new Diagnoser(TimeProvider.System);
        var random = new Random(20261129);
        string[] ids = [null!, "T-1", "引号\"与\\反斜杠", "tab\there", "😀 emoji", "<script>&'", "\u001b[31m"];
        for (var i = 0; i < 3000; i++)
        {
            var request = RandomComplaints.Next(random) with
            {
                TicketId = ids[i % ids.Length],
                ReceivedAt = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(i % 3 == 0 ? 8 : -5)).AddTicks(i % 5 == 0 ? 1_234_567 : 0),
            };
            var answer = await diagnoser.DiagnoseAsync(rules, request, i % 2 == 0 ? [] : ["en"]);

            Assert.Equal(JsonSerializer.Serialize(answer, ContractJson.Options), JsonSerializer.Serialize(answer, ByHand));
        }
    }

    [Fact]
    public void AnAnswerWithEveryPropertySetAndEveryOptionalOneLeftOutIsWrittenAsTheSerializerWritesIt()
    {
        var full = Full();
        // A property added to the contract must be set here, and then shows up below if the writer misses it.
        AssertEveryPropertySet(full);
        Assert.Equal(JsonSerializer.Serialize(full, ContractJson.Options), JsonSerializer.Serialize(full, ByHand));

        var sparse = full with
        {
            TicketId = null,
            Cause = new Cause("C", null, "l"),
            Reply = new Reply("t", "x", "zh-CN"),
            Actions = [new ActionItem("callCustomer"), null!],
            Deadlines = new Deadlines(),
            MissingFields = ["billing", null!],
            Trace = new Trace("W", "R", [new EvaluatedRule("R", true), null!], [new PolicyTrace("P", null), null!], new Dictionary<string, string> { ["k"] = null! },
                [new LookedUpFact("network.similarUnresolvedComplaints", true, "decisionRecord", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], "e"), new LookedUpFact("f", null, "s", [])]),
        };
        Assert.Equal(JsonSerializer.Serialize(sparse, ContractJson.Options), JsonSerializer.Serialize(sparse, ByHand));
        var noLists = full with { Actions = null!, MissingFields = null!, Trace = new Trace("W", "R", null!, null!) };
        Assert.Equal(JsonSerializer.Serialize(noLists, ContractJson.Options), JsonSerializer.Serialize(noLists, ByHand));
    }

    [Fact]
    public void ReadingIsTheSerializers()
    {
        var text = JsonSerializer.Serialize(Full(), ContractJson.Options);

        Assert.Equal(text, JsonSerializer.Serialize(JsonSerializer.Deserialize<DiagnoseResponse>(text, ByHand), ContractJson.Options));
    }

    private static JsonSerializerOptions WithWriter()
    {
        var options = ContractJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.Converters.Add(new DiagnoseResponseWriter());
        return options;
    }

    private static DiagnoseResponse Full()
    {
        var at = new DateTimeOffset(2026, 11, 28, 9, 30, 15, 250, TimeSpan.FromHours(8));
        return new DiagnoseResponse
        {
            TicketId = "10010-0001",
            Status = DiagnosisStatus.NeedsInfo,
            Cause = new Cause("WORK_ORDER_INCOMPLETE", "group", "工单信息不全"),
            MissingFields = ["billing", "location.description"],
            Reply = new Reply("data.x", "您好", "zh-CN", "工单"),
            Route = Route.GroupCustomerMaintenance,
            Actions = [new ActionItem("callCustomer", at, "致电客户")],
            Deadlines = new Deadlines { ContactBy = at, OnSiteBy = at.AddHours(2), ResolveBy = at.AddDays(1) },
            Priority = Priority.High,
            Trace = new Trace("Data", "D1", [new EvaluatedRule("D0", false, "boom"), new EvaluatedRule("D1", true)],
                [new PolicyTrace("Priority", "P1")], new Dictionary<string, string> { ["network.kpiAbnormal"] = "true", ["Mixed Case"] = "值" },
                [new LookedUpFact("network.similarUnresolvedComplaints", false, "decisionRecord", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], "late")]),
            RulesVersion = "8d2eb6f6f008",
            DecisionId = "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        };
    }

    private static void AssertEveryPropertySet(object value)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var set = property.GetValue(value);
            Assert.True(set is not null, $"{value.GetType().Name}.{property.Name} is not set in the full answer");
            if (set is System.Collections.IEnumerable items and not string)
            {
                // The first item of each list is the one with every property set.
                var first = items.Cast<object?>().FirstOrDefault();
                Assert.True(first is not null, $"{value.GetType().Name}.{property.Name} is empty in the full answer");
                if (first.GetType().Namespace == typeof(DiagnoseResponse).Namespace && first.GetType().IsClass)
                {
                    AssertEveryPropertySet(first);
                }
            }
            else if (set!.GetType().Namespace == typeof(DiagnoseResponse).Namespace && set.GetType().IsClass)
            {
                AssertEveryPropertySet(set);
            }
        }
    }
}
