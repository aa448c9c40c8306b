using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>Which unknown keys of a complaint are taken for typos (refused with the name meant, by the service and the
/// replay) and which for a client's own fields (ignored).</summary>
public sealed class ContractKeysTests
{
    [Theory]
    [InlineData("inArrear", "inArrears")]       // a letter dropped
    [InlineData("in_arrears", "inArrears")]     // snake case from an export
    [InlineData("biling", "billing")]
    [InlineData("scpoe", "scope")]              // two letters swapped
    [InlineData("dataFeatureEnable", "dataFeatureEnabled")]
    [InlineData("networkTpye", "networkType")]
    [InlineData("billing", null)]               // the name itself, in any case
    [InlineData("BILLING", null)]
    [InlineData("customerName", null)]          // a client's own fields
    [InlineData("serviceId", null)]             // a contract name with more after it is a field of its own
    [InlineData("services", null)]
    [InlineData("ticketNo", null)]              // two edits in a short name: not taken for a typo
    [InlineData("region", null)]
    public void ADiagnoseRequestKey(string key, string? meant) => Assert.Equal(meant, ContractKeys.Request.Meant(key));

    [Theory]
    [InlineData("contactAt", "contactedAt")]    // two edits in a name of nine letters or more
    [InlineData("resolveAt", "resolvedAt")]
    [InlineData("postponement", "postponements")]
    [InlineData("contactedAt", null)]
    [InlineData("visitedAt", null)]
    public void AFollowUpsProgressKey(string key, string? meant) => Assert.Equal(meant, ContractKeys.FollowUp.Inside("progress")!.Meant(key));
}
