using System.Globalization;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>How deadlines are written on the wire: in the offset of <c>receivedAt</c>, with seconds and only the
/// fractions given, from the service's clock when <c>receivedAt</c> is left out. Shown on the engine fixture,
/// whose Contact policy gives a local group customer 30 minutes to contact and 8 hours to resolve. (Which rows
/// set which deadlines is the procedure's, checked by the scenarios in rules/tests.)</summary>
public sealed class DeadlineTimestampTests : IDisposable
{
    private readonly ServiceFactory _factory = ServiceFactory.Serving(RepoPaths.EngineFixture);
    private readonly HttpClient _client;

    public DeadlineTimestampTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

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
        var answer = await _client.DiagnoseAsync(Complaint.Group("customer.tier=\"groupLocal\"; receivedAt="));

        Assert.Equal(ServiceFactory.Now.AddMinutes(30), answer.Deadlines.ContactBy);
        Assert.Equal(ServiceFactory.Now.AddHours(8), answer.Deadlines.ResolveBy);
    }
}
