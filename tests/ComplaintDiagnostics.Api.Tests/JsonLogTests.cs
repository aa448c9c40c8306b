using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>JSON console logs for a log shipper, with the built-in console formatter switched by configuration
/// (<c>Logging__Console__FormatterName=json</c>), tested on the service as its own process.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task WithTheJsonFormatterEveryConsoleLineIsAJsonObjectAndTheAuditLineKeepsItsFields()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Rules__Path"] = RepoPaths.Rules,
            ["Logging__Console__FormatterName"] = "json",
            ["Shutdown__DrainSeconds"] = "0",
        });
        await service.WaitForAsync("/readyz");
        using (var client = service.CreateClient())
        {
            await client.DiagnoseAsync(Complaint.Data("ticketId=\"JSON-LOG-1\"; inArrears=true; customer.msisdn=\"13812345678\""));
        }
        await service.SigtermAsync();
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var lines = (await service.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(l => JsonSerializer.Deserialize<JsonElement>(l)).ToList();
        var audit = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.Contains("JSON-LOG-1", StringComparison.Ordinal));
        Assert.Equal("Information", audit.GetProperty("LogLevel").GetString());
        Assert.Equal("D1_AccountInArrears", audit.GetProperty("State").GetProperty("Rule").GetString());
        Assert.DoesNotContain("13812345678", await service.Output, StringComparison.Ordinal);
    }
}
