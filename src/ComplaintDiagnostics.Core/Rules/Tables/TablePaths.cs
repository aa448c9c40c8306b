using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Rules.Tables;

/// <summary>What kind of value a table column holds, which decides the tests it accepts.</summary>
public enum ColumnKind { Boolean, Choice, Text, Number }

/// <summary>One column a <c>When</c> row may test: a request path exactly as in the contract
/// (<c>frontDeskChecks.restarted</c>), or a path of the diagnosis (policies) or of the ticket's progress (escalation).</summary>
/// <param name="Path">As the rule author writes it.</param>
/// <param name="Member">The same field in a rule expression, e.g. <c>ticket.FrontDeskChecks.Restarted</c>.</param>
/// <param name="Values">For a choice: the wire names, in contract order, each with its C# member name.</param>
/// <param name="CanBeUnknown">Whether the field can be absent (request fields can; computed facts cannot).</param>
/// <param name="Roles">The workflows that see this field.</param>
public sealed record TableColumn(
    string Path, string Member, ColumnKind Kind, IReadOnlyList<(string Wire, string Member)> Values,
    bool CanBeUnknown, IReadOnlyList<WorkflowRole> Roles)
{
    /// <summary>A number column that holds whole numbers only (<c>location.signalBars</c>).</summary>
    public bool WholeNumbers { get; init; }
}

/// <summary>Every column a decision-table row may test, derived from the contract types and the facts the
/// policies and the escalation see, so a field added to the contract becomes a column without a list to update.</summary>
public static class TablePaths
{
    /// <summary>Request fields a table may not test: identifiers and personal data have no place in a rule, and a
    /// timestamp needs arithmetic, which is what <c>Expression</c> is for.</summary>
    private static readonly FrozenDictionary<string, string> NotColumns = new Dictionary<string, string>
    {
        ["ticketId"] = "a ticket's id decides nothing",
        ["receivedAt"] = "a time needs arithmetic: write an Expression, e.g. ticket.ReceivedAt.Value.Hour >= 22",
    }
        // Personal data is marked once, on the contract type ([PersonalData]).
        .Concat(RequestFields.Personal.Select(path => KeyValuePair.Create(path, "it is personal data, which rules may not read")))
        .ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly WorkflowRole[] AllRoles = [WorkflowRole.Diagnosis, WorkflowRole.Policy, WorkflowRole.Escalation];

    /// <summary>All columns: the complaint's fields (in the order of <see cref="RequestFields.Paths"/>), then
    /// <c>diagnosis.*</c>, then <c>followUp.*</c>.</summary>
    public static IReadOnlyList<TableColumn> All { get; } = [.. Columns()];

    private static readonly FrozenDictionary<string, TableColumn> ByPath = All.ToFrozenDictionary(c => c.Path, StringComparer.Ordinal);

    public static TableColumn? Find(string path) => ByPath.GetValueOrDefault(path);

    /// <summary>Why a request field cannot be a column, when it is one of those.</summary>
    public static string? WhyNotColumn(string path) => NotColumns.GetValueOrDefault(path);

    /// <summary>The columns a workflow of <paramref name="role"/> may test.</summary>
    public static IEnumerable<TableColumn> For(WorkflowRole role) => All.Where(c => c.Roles.Contains(role));

    private static IEnumerable<TableColumn> Columns()
    {
        foreach (var path in RequestFields.Paths.Where(p => !NotColumns.ContainsKey(p)))
        {
            var member = "ticket." + string.Join(".", path.Split('.').Select(Pascal));
            yield return Column(path, member, RequestFields.TypeOf(path)!, canBeUnknown: true, AllRoles);
        }
        foreach (var (prefix, type, roles) in new (string, Type, WorkflowRole[])[]
        {
            (RuleSetCompiler.DiagnosisParameter, typeof(DiagnosisFacts), [WorkflowRole.Policy, WorkflowRole.Escalation]),
            (RuleSetCompiler.FollowUpParameter, typeof(FollowUpFacts), [WorkflowRole.Escalation]),
        })
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                yield return Column($"{prefix}.{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}", $"{prefix}.{property.Name}",
                    valueType, canBeUnknown: Nullable.GetUnderlyingType(property.PropertyType) is not null, roles);
            }
        }
    }

    private static TableColumn Column(string path, string member, Type type, bool canBeUnknown, WorkflowRole[] roles) => type switch
    {
        _ when type == typeof(bool) => new(path, member, ColumnKind.Boolean, [], canBeUnknown, roles),
        _ when type.IsEnum => new(path, member, ColumnKind.Choice, ContractJson.EnumWireNames(type), canBeUnknown, roles),
        _ when type == typeof(string) => new(path, member, ColumnKind.Text, [], canBeUnknown, roles),
        _ => new(path, member, ColumnKind.Number, [], canBeUnknown, roles) { WholeNumbers = type == typeof(int) || type == typeof(long) },
    };

    private static string Pascal(string segment) => char.ToUpperInvariant(segment[0]) + segment[1..];
}
