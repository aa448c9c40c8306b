using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Tickets;

/// <summary>
/// Every leaf of <see cref="DiagnoseRequest"/> by its request path (<c>frontDeskChecks.restarted</c>),
/// derived from the contract type so that a field added to the contract is addressable without a list to update.
/// </summary>
public static class RequestFields
{
    // Built once (each leaf compiles its test); declared first, as the tables below are made from it.
    private static readonly (string Path, Type Type, Func<DiagnoseRequest, bool> IsStated, PropertyInfo Property)[] AllLeaves = [.. Leaves()];

    /// <summary>The request paths of fields marked <see cref="PersonalDataAttribute"/> on the contract type.</summary>
    public static IReadOnlySet<string> Personal { get; } =
        AllLeaves.Where(l => l.Property.IsDefined(typeof(PersonalDataAttribute))).Select(l => l.Path).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The contract properties marked <see cref="PersonalDataAttribute"/>, for what checks members rather than paths.</summary>
    public static IReadOnlySet<PropertyInfo> PersonalProperties { get; } =
        AllLeaves.Where(l => l.Property.IsDefined(typeof(PersonalDataAttribute))).Select(l => l.Property).ToHashSet();

    private static readonly FrozenDictionary<string, Func<DiagnoseRequest, bool>> StatedTests =
        AllLeaves.ToFrozenDictionary(l => l.Path, l => l.IsStated, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Type> Types =
        AllLeaves.ToFrozenDictionary(l => l.Path, l => l.Type, StringComparer.Ordinal);

    /// <summary>All request paths, in contract order.</summary>
    public static IReadOnlyList<string> Paths { get; } = [.. StatedTests.Keys.Order(StringComparer.Ordinal)];

    public static bool Exists(string path) => StatedTests.ContainsKey(path);

    /// <summary>The value type at a request path (nullable unwrapped), e.g. <c>bool</c> for <c>inArrears</c>.</summary>
    public static Type? TypeOf(string path) => Types.GetValueOrDefault(path);

    /// <summary>Whether the request states a value at <paramref name="path"/> (a needs-info rule's question, asked
    /// on every complaint of its type, so it reads the field through a compiled accessor: no reflection, no boxing).</summary>
    /// <exception cref="ArgumentException">The path is not a field of the request.</exception>
    public static bool IsStated(DiagnoseRequest request, string path) =>
        StatedTests.TryGetValue(path, out var stated)
            ? stated(request)
            : throw Unknown(path);

    /// <exception cref="ArgumentException">The path is not a field of the request.</exception>
    public static void EnsureExists(string path)
    {
        if (!Exists(path))
        {
            throw Unknown(path);
        }
    }

    /// <summary>Why <paramref name="path"/> is refused, with the closest field and the list: the one wording of
    /// lint, the table rows and the ticket's helpers.</summary>
    public static string NotAField(string path) =>
        $"'{path}' is not a field of the complaint.{Rules.DidYouMean.Phrase(path, Paths)} Fields: {string.Join(", ", Paths)}.";

    private static ArgumentException Unknown(string path) => new(NotAField(path), nameof(path));

    /// <summary>Every leaf of the request (one level of nested objects, as the contract has), with a compiled
    /// test of <c>request.Parent != null &amp;&amp; request.Parent.Leaf != null</c>.</summary>
    private static IEnumerable<(string Path, Type Type, Func<DiagnoseRequest, bool> IsStated, PropertyInfo Property)> Leaves()
    {
        static Type Unwrapped(Type t) => Nullable.GetUnderlyingType(t) ?? t;
        static Expression NotNull(Expression e) =>
            e.Type.IsValueType && Nullable.GetUnderlyingType(e.Type) is null
                ? Expression.Constant(true)
                : Expression.NotEqual(e, Expression.Constant(null, e.Type));
        static Func<DiagnoseRequest, bool> Compile(ParameterExpression request, Expression test) =>
            Expression.Lambda<Func<DiagnoseRequest, bool>>(test, request).Compile();

        var request = Expression.Parameter(typeof(DiagnoseRequest), "request");
        foreach (var property in typeof(DiagnoseRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var value = Expression.Property(request, property);
            if (IsLeaf(property.PropertyType))
            {
                yield return (name, Unwrapped(property.PropertyType), Compile(request, NotNull(value)), property);
                continue;
            }
            foreach (var child in property.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                yield return ($"{name}.{JsonNamingPolicy.CamelCase.ConvertName(child.Name)}", Unwrapped(child.PropertyType),
                    Compile(request, Expression.AndAlso(NotNull(value), NotNull(Expression.Property(value, child)))), child);
            }
        }
    }

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(DateTimeOffset) || t == typeof(decimal);
    }
}
