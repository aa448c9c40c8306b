using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>The complaint as rules see it: a text left blank states nothing, as a field left out does.</summary>
public sealed class ComplaintTicketTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("Building 3", false)]
    public void ADescriptionLeftBlankIsNotStated(string description, bool missing)
    {
        var ticket = new ComplaintTicket(new DiagnoseRequest
        {
            ComplaintType = ComplaintType.Coverage,
            Location = new Location { Description = description, Area = Area.Urban },
            Terminal = new Terminal { Brand = " " },
        });

        Assert.Equal(missing ? ["location.description"] : [], ticket.Unknown("location.description", "location.area"));
        Assert.Equal(missing ? null : description, ticket.Location.Description);
        Assert.Equal(Area.Urban, ticket.Location.Area);
        Assert.Null(ticket.Terminal.Brand);
    }
}
