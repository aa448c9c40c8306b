using System.Reflection;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules.Tables;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>Personal data is declared once, on the contract type ([PersonalData]); the table columns and the rule
/// language derive from the mark. A field whose name says it is personal and carries no mark fails here, by name.</summary>
public sealed class PersonalDataTests
{
    private static readonly string[] PersonalWords = ["msisdn", "phone", "mobile", "imsi", "imei", "idnumber", "idcard", "email", "address", "fullname", "customername"];

    [Fact]
    public void EveryFieldWhoseNameSaysItIsPersonalIsMarked()
    {
        var unmarked = ContractProperties()
            .Where(p => PersonalWords.Any(w => p.Name.Contains(w, StringComparison.OrdinalIgnoreCase)) && !p.IsDefined(typeof(PersonalDataAttribute)))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();

        Assert.True(unmarked.Count == 0, "Mark these with [PersonalData] on the contract type: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void APersonalFieldIsNoColumnAndNoMemberARuleMayRead()
    {
        Assert.Contains("customer.msisdn", RequestFields.Personal);
        foreach (var path in RequestFields.Personal)
        {
            Assert.Null(TablePaths.Find(path));
            Assert.Equal("it is personal data, which rules may not read", TablePaths.WhyNotColumn(path));
        }
    }

    private static IEnumerable<PropertyInfo> ContractProperties() =>
        typeof(DiagnoseRequest).GetProperties().Concat(typeof(DiagnoseRequest).GetProperties()
            .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .Where(t => t.IsClass && t != typeof(string))
            .SelectMany(t => t.GetProperties()));
}
