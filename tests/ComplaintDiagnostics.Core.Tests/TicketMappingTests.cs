using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>rules/tmf621.json, how the ticket system's TMF621 tickets read as complaints: compiled with the rules, each
/// name it maps checked against the contract, the sources and the cause catalogue, each finding with file, line and a
/// did-you-mean.</summary>
public sealed class TicketMappingTests
{
    [Fact]
    public async Task TheShippedMappingReadsTheTicketSystemsNamesAndTheContractsOwn()
    {
        var mapping = (await RuleSetCompiler.CompileAsync(ShippedRules.Sources(), DateTimeOffset.UnixEpoch)).RuleSet!.TicketMapping;

        Assert.Equal("complaintType", mapping.PathOf("投诉类型"));
        Assert.Equal("frontDeskChecks.restarted", mapping.PathOf("frontDeskChecks.restarted"));
        Assert.Equal("location.latitude", mapping.PathOf("Location.Latitude"));
        Assert.Null(mapping.PathOf("crmScore"));
        Assert.Equal("hotline10010", mapping.Channels["10010"]);
        Assert.Equal("location.description", mapping.RelatedEntities["serviceLocation"]);
        Assert.Equal("ACCOUNT_ARREARS", mapping.ResolutionCodes["arrears"]);
        Assert.Contains("COMPLAINT", mapping.TicketTypes);
    }

    [Theory]
    [InlineData("\"网络制式\": \"networkType\"", "\"网络制式\": \"netwrokType\"", "that a characteristic may give (ticketId, receivedAt and source come from the ticket's id, creationDate and channel). Did you mean 'networkType'?", "网络制式")]
    [InlineData("\"营业厅\": \"store\"", "\"营业厅\": \"stroe\"", "'stroe' is not a source of the contract. Did you mean 'store'?", "营业厅")]
    [InlineData("\"ARREARS\": \"ACCOUNT_ARREARS\"", "\"ARREARS\": \"ACOUNT_ARREARS\"", "Did you mean 'ACCOUNT_ARREARS'?", "ARREARS")]
    [InlineData("\"resolutionCodes\": {", "\"resolutionCode\": {", "did you mean \"resolutionCodes\"?", null)]
    public async Task AMisspeltNameIsFoundOnItsLineWithWhatItMeant(string from, string to, string message, string? rule)
    {
        var sources = ShippedRules.With(TicketMapping.File, from, to);

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Null(build.RuleSet);
        var problem = Assert.Single(build.Problems, p => p.File == TicketMapping.File && p.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(ShippedRules.LineOf(sources, TicketMapping.File, to.Split(':')[0]), problem.Line);
        Assert.Equal(rule, problem.Rule);
    }

    [Fact]
    public async Task WithoutTheFileTheContractsOwnNamesAreRead()
    {
        var files = ShippedRules.Sources().Files.Where(f => f.Key != TicketMapping.File).ToDictionary();
        var rules = (await RuleSetCompiler.CompileAsync(new RuleSources(files), DateTimeOffset.UnixEpoch)).RuleSet!;

        Assert.Same(TicketMapping.Default, rules.TicketMapping);
        Assert.Equal("billing", rules.TicketMapping.PathOf("billing"));
    }
}
