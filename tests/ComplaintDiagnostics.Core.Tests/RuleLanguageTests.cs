using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>The allow-list member by member: what it admits compiles and runs, what it refuses is named.</summary>
public sealed class RuleLanguageTests
{
    private static Task<RuleSetBuild> CompileWithR1(string expression) =>
        RuleSetCompiler.CompileAsync(new RuleSources(RuleSources.ReadFolder(Testing.HostileExpressions.Folder).Files.ToDictionary(
            kv => kv.Key,
            kv => Testing.HostileExpressions.InWorkflow(kv.Key, kv.Value, expression))), DateTimeOffset.UnixEpoch);

    [Theory]
    // Fields, nested fields, enums as text, null checks, booleans, numbers.
    [InlineData("ticket.InArrears == true")]
    [InlineData("ticket.Billing == \"ocs\" && ticket.Roaming != \"roamingOut\"")]
    [InlineData("ticket.Customer.Tier == null || ticket.Customer.SpecialCircumstances == false")]
    [InlineData("!(ticket.FrontDeskChecks.Restarted == true) && ticket.Terminal.Generation == \"g4\"")]
    [InlineData("ticket.Location.SignalBars >= 2 && ticket.Location.SignalBars * 2 - 1 < 10 && ticket.Location.SignalBars % 2 == 0")]
    [InlineData("ticket.Location.Latitude > 30.5 && ticket.Location.Longitude <= 122.0")]
    [InlineData("ticket.InArrears.HasValue && ticket.InArrears.Value")]
    [InlineData("ticket.Location.SignalBars.GetValueOrDefault() == 0")]
    [InlineData("(ticket.Location.Indoor ?? false) == true")]
    [InlineData("iif(ticket.InArrears == true, 1, 2) == 1")]
    [InlineData("np(ticket.Location.Description) != null")]
    // Text.
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.Length > 3")]
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.Contains(\"地铁\")")]
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.StartsWith(\"Gate\")")]
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.EndsWith(\"B\")")]
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.Trim().ToLower().Equals(\"gate\")")]
    [InlineData("ticket.Location.Description != null && ticket.Location.Description.ToUpperInvariant() == \"GATE\"")]
    [InlineData("string.IsNullOrEmpty(ticket.Location.Description) || string.IsNullOrWhiteSpace(ticket.Terminal.Brand)")]
    [InlineData("ticket.Terminal.Brand != null && ticket.Terminal.Brand.Contains(\"x\", StringComparison.OrdinalIgnoreCase)")]
    [InlineData("ticket.Terminal.Brand > \"A\"")]
    // Numbers and lists.
    [InlineData("Math.Abs(ticket.Location.SignalBars ?? 0) < 6 && Math.Max(1, 2) == 2 && Math.Min(1, 2) == 1")]
    [InlineData("ticket.Unknown(\"billing\").Length == 0")]
    [InlineData("ticket.Unknown(\"billing\", \"scope\").Count() == 0")]
    [InlineData("ticket.Unknown(\"billing\").Contains(\"billing\")")]
    [InlineData("ticket.Unknown(\"billing\", \"scope\").Any(p => p == \"scope\")")]
    [InlineData("ticket.Fields(\"billing\").All(p => p.Length > 0) && ticket.InArrears == true")]
    [InlineData("new[] { \"store\", \"marketFrontEnd\" }.Contains(\"store\") && ticket.InArrears == true")]
    [InlineData("ticket.Unknown(\"billing\", \"scope\").Count(p => p.StartsWith(\"s\")) > 0")]
    // The complaint's own time, never the clock.
    [InlineData("ticket.ReceivedAt.HasValue && ticket.ReceivedAt.Value.Hour >= 22")]
    [InlineData("ticket.ReceivedAt.HasValue && ticket.ReceivedAt.Value.DayOfWeek == DayOfWeek.Sunday")]
    public async Task AllowedMembersCompileAndRun(string expression)
    {
        var build = await CompileWithR1(expression);

        Assert.True(build.Accepted, string.Join("; ", build.Problems));
    }

    [Theory]
    [InlineData("ticket.Customer.Msisdn != null", "'Msisdn' is personal data")]
    [InlineData("ticket.Customer.ToString() != null", "'ToString'")]
    [InlineData("ticket.Location.SignalBars.ToString() == \"2\"", "'ToString'")]
    [InlineData("ticket.Location.Description.PadLeft(5).Length > 0", "'PadLeft'")]
    [InlineData("ticket.Location.Description.PadRight(5).Length > 0", "'PadRight'")]
    [InlineData("ticket.Location.Description.Replace(\"a\", \"b\") == \"b\"", "'Replace'")]
    [InlineData("ticket.Location.Description.Substring(1) == \"b\"", "'Substring'")]
    [InlineData("ticket.Location.Description.Split(',').Length > 1", "'Split'")]
    [InlineData("string.Concat(ticket.Location.Description, \"x\") == \"x\"", "'Concat'")]
    [InlineData("string.Format(\"{0}\", 1) == \"1\"", "'Format'")]
    [InlineData("string.Join(\",\", ticket.Unknown(\"billing\")) == \"\"", "'Join'")]
    [InlineData("string.Intern(\"x\") != null", "'Intern'")]
    [InlineData("string.IsInterned(\"x\") != null", "'IsInterned'")]
    [InlineData("Math.Pow(2, 10) > 1", "'Pow'")]
    [InlineData("DateTime.Now.Hour > 1", "'DateTime.Now'")]
    [InlineData("DateTime.UtcNow.Hour > 1", "'DateTime.UtcNow'")]
    [InlineData("DateTime.Today.Day > 1", "'DateTime.Today'")]
    [InlineData("DateTimeOffset.Now.Hour > 1", "'DateTimeOffset.Now'")]
    [InlineData("DateTimeOffset.UtcNow.Hour > 1", "'DateTimeOffset.UtcNow'")]
    [InlineData("Enumerable.Range(0, 10).Count() > 0", "'Range'")]
    [InlineData("Enumerable.Repeat(1, 10).Count() > 0", "'Repeat'")]
    [InlineData("ticket.Unknown(\"billing\").Select(p => p.Length).Sum() > 0", "'Select'")]
    [InlineData("ticket.Unknown(\"billing\").Where(p => p.Length > 0).Count() > 0", "'Where'")]
    [InlineData("ticket.Unknown(\"billing\").OrderBy(p => p).Count() > 0", "'OrderBy'")]
    [InlineData("ticket.Unknown(\"billing\").Any(p => ticket.Unknown(\"scope\").Any(q => q == p))", "inside another list test")]
    [InlineData("ticket.GetType() != null", "'GetType'")]
    [InlineData("ticket.InArrears.GetHashCode() == 1", "'GetHashCode'")]
    [InlineData("ticket.Customer == ticket.Customer", "'op_Equality'")]
    [InlineData("ticket.InArrears = true", "'=='")]
    public async Task RefusedMembersAreNamed(string expression, string named)
    {
        var build = await CompileWithR1(expression);

        Assert.False(build.Accepted);
        var problem = Assert.Single(build.Errors);
        Assert.Equal(Testing.HostileExpressions.Rule, problem.Rule);
        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpressionOverTheSizeLimitIsRefused()
    {
        var huge = string.Join(" || ", Enumerable.Repeat("ticket.InArrears == true", 120));

        var build = await CompileWithR1(huge);

        Assert.Contains(build.Errors, p => p.Rule == Testing.HostileExpressions.Rule && p.Message.Contains("at most", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheShippedRulesUseOnlyTheAllowList()
    {
        var build = await RuleSetCompiler.CompileAsync(ShippedRules.Sources(), DateTimeOffset.UnixEpoch);

        Assert.Empty(build.Problems);
    }
}

/// <summary>The second wall: a rule set whose warm-up outlasts its limit is refused, naming where it was.</summary>
public sealed class WarmupLimitTests
{
    [Fact]
    public async Task ARuleSetWhoseWarmupOutlastsTheLimitIsRefusedNamingTheWorkflow()
    {
        var build = await RuleSetCompiler.CompileAsync(ShippedRules.Sources(), DateTimeOffset.UnixEpoch, TimeSpan.FromTicks(1));

        Assert.False(build.Accepted);
        var problem = Assert.Single(build.Errors);
        Assert.NotNull(problem.Rule);
        Assert.Contains("took longer than", problem.Message, StringComparison.Ordinal);
    }
}
