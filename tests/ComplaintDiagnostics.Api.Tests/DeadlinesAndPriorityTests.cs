using System.Globalization;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Tests;

public sealed class DeadlinesAndPriorityTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("groupInterProvincial", false, "2026-11-28T09:15:00+08:00", "2026-11-28T13:00:00+08:00")]
    [InlineData("groupProvincial", false, "2026-11-28T09:15:00+08:00", "2026-11-28T13:00:00+08:00")]
    [InlineData("groupLocal", false, "2026-11-28T09:30:00+08:00", "2026-11-28T17:00:00+08:00")]
    [InlineData("groupInterProvincial", true, "2026-11-28T09:15:00+08:00", "2026-11-29T09:00:00+08:00")]
    [InlineData("groupProvincial", true, "2026-11-28T09:15:00+08:00", "2026-11-29T09:00:00+08:00")]
    [InlineData("groupLocal", true, "2026-11-28T09:30:00+08:00", "2026-11-29T09:00:00+08:00")]
    public async Task GroupTierSetsContactAndRepairDeadlines(string tier, bool special, string contactBy, string resolveBy)
    {
        var answer = await _client.DiagnoseAsync(Complaint.Group($"customer.tier=\"{tier}\"; customer.specialCircumstances={(special ? "true" : "false")}"));

        Assert.Equal(At(contactBy), answer.Deadlines.ContactBy);
        Assert.Equal(At(resolveBy), answer.Deadlines.ResolveBy);
        Assert.Equal(At(contactBy), answer.Actions.Single(a => a.Code == "callCustomer").DueBy);
        Assert.Equal(Priority.High, answer.Priority);
    }

    [Fact]
    public async Task DeadlinesKeepTheOffsetOfReceivedAt()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Group("customer.tier=\"groupLocal\"; receivedAt=\"2026-11-28T23:50:00-05:00\""));

        Assert.Equal(TimeSpan.FromHours(-5), answer.Deadlines.ContactBy!.Value.Offset);
        Assert.Equal(At("2026-11-29T00:20:00-05:00"), answer.Deadlines.ContactBy);
    }

    [Fact]
    public async Task DeadlinesAreWrittenWithSecondsAndOnlyTheFractionsGiven()
    {
        using var whole = await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Group("customer.tier=\"groupLocal\""));
        using var fraction = await _client.PostJsonAsync("/api/v1/diagnose",
            Complaint.Group("customer.tier=\"groupLocal\"; receivedAt=\"2026-11-28T09:00:00.25+08:00\""));

        Assert.Contains("\"contactBy\":\"2026-11-28T09:30:00+08:00\"", await whole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"contactBy\":\"2026-11-28T09:30:00.25+08:00\"", await fraction.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlinesCountFromNowWhenReceivedAtIsNotGiven()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Group("customer.tier=\"groupProvincial\"; receivedAt="));

        Assert.Equal(ServiceFactory.Now.AddMinutes(15), answer.Deadlines.ContactBy);
        Assert.Equal(ServiceFactory.Now.AddHours(4), answer.Deadlines.ResolveBy);
    }

    [Fact]
    public async Task GroupCustomersVoiceComplaintMissingInfoTakesTheEarliestContactDeadline()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice("service=; customer.tier=\"groupProvincial\""));

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal(At("2026-11-28T09:15:00+08:00"), answer.Deadlines.ContactBy);
        Assert.Equal(At("2026-11-28T13:00:00+08:00"), answer.Deadlines.ResolveBy);
        Assert.Equal(At("2026-11-28T09:15:00+08:00"), answer.Actions.Single(a => a.Code == "callCustomer").DueBy);
    }

    [Fact]
    public async Task GroupCustomersDataComplaintGetsGroupDeadlines()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("customer.tier=\"groupLocal\"; inArrears=true"));

        Assert.Equal("ACCOUNT_ARREARS", answer.Cause.Code);
        Assert.Equal(At("2026-11-28T09:30:00+08:00"), answer.Deadlines.ContactBy);
        Assert.Equal(At("2026-11-28T17:00:00+08:00"), answer.Deadlines.ResolveBy);
    }

    [Fact]
    public async Task PublicCustomerHasNoGroupDeadlines()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("customer.tier=\"public\""));

        Assert.Equal(new Deadlines(), answer.Deadlines);
        Assert.Equal(Priority.Normal, answer.Priority);
    }

    [Theory]
    [InlineData("source=\"marketFrontEnd\"", "high")]
    [InlineData("source=\"store\"", "high")]
    [InlineData("source=\"accountManager\"", "high")]
    [InlineData("source=\"hotline10010\"", "normal")]
    [InlineData("source=\"hotline10019\"", "normal")]
    [InlineData("customer.tier=\"groupLocal\"", "high")]
    [InlineData("customer.tier=\"public\"", "normal")]
    [InlineData("", "normal")]
    public async Task PriorityFollowsSourceAndCustomerTier(string edits, string priority)
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice(edits));

        Assert.Equal(priority, ContractJson.WireName(answer.Priority));
    }
}
