using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Tests;

public sealed class NeedsInfoTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("billing=", "billing")]
    [InlineData("inArrears=; scope=", "inArrears,scope")]
    [InlineData("billing=; inArrears=; dataFeatureEnabled=; roaming=; scope=", "billing,inArrears,dataFeatureEnabled,roaming,scope")]
    public async Task DataComplaintListsTheMustStateFieldsItLacks(string edits, string missing)
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data(edits));

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal("WORK_ORDER_INCOMPLETE", answer.Cause.Code);
        Assert.Equal(Route.FrontDesk, answer.Route);
        Assert.Equal(missing.Split(','), answer.MissingFields);
        Assert.Equal("D0_WorkOrderIncomplete", answer.Trace.MatchedRule);
    }

    [Fact]
    public async Task MissingMustStateFieldWinsOverAnyCause()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("roaming=; inArrears=true"));

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal(["roaming"], answer.MissingFields);
    }

    [Fact]
    public async Task ShouldStateFieldsAreNotRequired()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("terminal="));

        Assert.Equal(DiagnosisStatus.Diagnosed, answer.Status);
    }

    [Theory]
    [InlineData("voice", "location=", "location.description")]
    [InlineData("voice", "networkType=; timePattern=", "networkType,timePattern")]
    [InlineData("coverage", "service=", "service")]
    [InlineData("coverage", "location.description=; networkType=; service=; timePattern=", "location.description,networkType,service,timePattern")]
    public async Task VoiceComplaintListsWhatToAskWithinThirtyMinutes(string type, string edits, string missing)
    {
        var json = type == "voice" ? Complaint.Voice(edits) : Complaint.Coverage(edits);

        var answer = await _client.DiagnoseAsync(json);

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal(missing.Split(','), answer.MissingFields);
        var contactBy = DateTimeOffset.Parse("2026-11-28T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(contactBy, answer.Deadlines.ContactBy);
        Assert.Equal(contactBy, answer.Actions.Single(a => a.Code == "callCustomer").DueBy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("customer.tier=\"public\"")]
    public async Task GroupFaultWithoutAGroupTierNeedsTheTier(string edits)
    {
        var answer = await _client.DiagnoseAsync(Complaint.Group(edits));

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal(["customer.tier"], answer.MissingFields);
        Assert.Equal(Route.FrontDesk, answer.Route);
        Assert.Equal(Priority.Normal, answer.Priority);
    }

    [Fact]
    public async Task UnknownIsNotFalse()
    {
        // simActivated, frontDeskChecks and network are not given: no row that tests for false may fire.
        var answer = await _client.DiagnoseAsync(Complaint.Data());

        Assert.Equal("NETWORK_INVESTIGATION", answer.Cause.Code);
        Assert.All(answer.Trace.Evaluated.Where(e => e.Rule != "D11_NetworkInvestigation"), e => Assert.False(e.Matched, e.Rule));
    }

    [Fact]
    public async Task UnknownIsNotFalseForVoiceFindings()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice("network.activeAlarms=false"));

        Assert.Equal("FIELD_TEST_REQUIRED", answer.Cause.Code);
    }
}
