using ComplaintDiagnostics.Contracts;
using System.Reflection;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.Tables;
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

    [Fact]
    public void EveryColumnATableMayTestIsAMemberOfTheTicket()
    {
        // Rules read the complaint through the ticket (ticket.InArrears, ticket.Network.ActiveAlarms): a request field the
        // contract gains is a column at once (TablePaths), and at the top level it needs its pass-through here too.
        foreach (var column in TablePaths.All.Where(c => c.Member.StartsWith(RuleSetCompiler.TicketParameter + ".", StringComparison.Ordinal)))
        {
            var type = typeof(ComplaintTicket);
            foreach (var name in column.Member.Split('.').Skip(1))
            {
                var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                Assert.True(property is not null,
                    $"{type.Name} has no {name}, which the column '{column.Path}' reads: add `public T {name} => _request.{name};` beside the others.");
                type = property.PropertyType;
            }
        }
    }
}
