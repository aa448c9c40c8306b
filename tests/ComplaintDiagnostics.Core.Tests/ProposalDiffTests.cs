using ComplaintDiagnostics.Core.Lifecycle;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>A proposal's per-table diff as a reviewer reads it: rows matched by name; added, removed, moved in hit order,
/// modified, with the cells that differ (conditions, outcome fields, deadlines); reply texts; comments and layout aside.</summary>
public sealed class ProposalDiffTests
{
    private const string Before = """
        // The data table.
        { "WorkflowName": "Data", "Rules": [
          { "RuleName": "A", "When": { "inArrears": true }, "Properties": { "cause": "ACCOUNT_ARREARS", "deadlines": { "contactByMinutes": 30 } } },
          { "RuleName": "B", "When": { "roaming": ["roamingIn", "roamingOut"] }, "Properties": { "cause": "X" } },
          { "RuleName": "C", "Expression": "ticket.Scope == \"specificService\"", "Properties": { "cause": "Y" } },
          { "RuleName": "D", "When": {}, "Properties": { "cause": "Z" } }
        ] }
        """;

    private const string After = """
        { "WorkflowName": "Data", "Rules": [
          { "RuleName": "B", "When": { "roaming": ["roamingIn", "roamingOut"] }, "Properties": { "cause": "X" } },
          // A moved below B, its deadline shortened.
          { "RuleName": "A", "When": { "inArrears": true }, "Properties": { "cause": "ACCOUNT_ARREARS", "deadlines": { "contactByMinutes": 20 } } },
          { "RuleName": "N", "When": { "billing": "ocs" }, "Properties": { "cause": "W" } },
          { "RuleName": "D", "When": { "scope": "specificPlace" }, "Properties": { "cause": "Z" } }
        ] }
        """;

    [Fact]
    public void RowsAreMatchedByNameAndEachChangeNamesItsCells()
    {
        var diff = ProposalDiff.Between(
            new Dictionary<string, string?> { ["workflows/data.json"] = Before, ["replies.json"] = Replies("旧") },
            new Dictionary<string, string?> { ["workflows/data.json"] = After, ["replies.json"] = Replies("新") });

        var table = Assert.Single(diff.Tables);
        Assert.Equal("Data", table.Workflow);
        Assert.Equal([("B", "moved"), ("A", "moved"), ("N", "added"), ("D", "modified"), ("C", "removed")],
            table.Rows.Select(r => (r.Rule, r.Change)));
        var a = table.Rows.Single(r => r.Rule == "A");
        Assert.Equal((2, 1), (a.Position!.Value, a.Was!.Value));
        Assert.Equal([new CellDiff("deadlines.contactByMinutes", "30", "20")], a.Cells);
        Assert.Empty(table.Rows.Single(r => r.Rule == "B").Cells);
        Assert.Equal([new CellDiff("scope", null, "specificPlace")], table.Rows.Single(r => r.Rule == "D").Cells);
        Assert.Contains(new CellDiff("billing", null, "ocs"), table.Rows.Single(r => r.Rule == "N").Cells);
        Assert.Contains(new CellDiff("Expression", "ticket.Scope == \"specificService\"", null), table.Rows.Single(r => r.Rule == "C").Cells);
        Assert.Equal([new ReplyDiff("data.arrears", "customer", "zh-CN", "旧", "新")], diff.Replies);
    }

    [Fact]
    public void CommentsAndLayoutAreNoChange()
    {
        var relaid = "// another comment\n" + Before.Replace("\n", "\n\n", StringComparison.Ordinal);
        Assert.Empty(ProposalDiff.Between(new Dictionary<string, string?> { ["workflows/data.json"] = Before },
            new Dictionary<string, string?> { ["workflows/data.json"] = relaid }).Tables);
    }

    private static string Replies(string text) =>
        $$"""{ "templates": { "data.arrears": { "customer": { "zh-CN": "{{text}}", "en": "In arrears." }, "workOrder": { "zh-CN": "欠费", "en": "Arrears." } } } }""";
}
