using System.Collections.Frozen;
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
    private static readonly FrozenDictionary<string, Func<DiagnoseRequest, object?>> Readers = Build();

    private static readonly FrozenDictionary<string, Type> Types = BuildTypes();

    /// <summary>All request paths, in contract order.</summary>
    public static IReadOnlyList<string> Paths { get; } = [.. Readers.Keys.Order(StringComparer.Ordinal)];

    public static bool Exists(string path) => Readers.ContainsKey(path);

    /// <summary>The value type at a request path (nullable unwrapped), e.g. <c>bool</c> for <c>inArrears</c>.</summary>
    public static Type? TypeOf(string path) => Types.GetValueOrDefault(path);

    /// <summary>The value at <paramref name="path"/>, or null when the request does not state it.</summary>
    /// <exception cref="ArgumentException">The path is not a field of the request.</exception>
    public static object? Read(DiagnoseRequest request, string path) =>
        Readers.TryGetValue(path, out var read)
            ? read(request)
            : throw new ArgumentException($"'{path}' is not a field of the complaint (known fields: {string.Join(", ", Paths)}).", nameof(path));

    private static FrozenDictionary<string, Func<DiagnoseRequest, object?>> Build() =>
        Leaves().ToFrozenDictionary(l => l.Path, l => l.Read, StringComparer.Ordinal);

    private static FrozenDictionary<string, Type> BuildTypes() =>
        Leaves().ToFrozenDictionary(l => l.Path, l => l.Type, StringComparer.Ordinal);

    /// <summary>Every leaf of the request (one level of nested objects, as the contract has).</summary>
    private static IEnumerable<(string Path, Type Type, Func<DiagnoseRequest, object?> Read)> Leaves()
    {
        static Type Unwrapped(Type t) => Nullable.GetUnderlyingType(t) ?? t;
        foreach (var property in typeof(DiagnoseRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (IsLeaf(property.PropertyType))
            {
                yield return (name, Unwrapped(property.PropertyType), r => property.GetValue(r));
                continue;
            }
            foreach (var child in property.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                yield return ($"{name}.{JsonNamingPolicy.CamelCase.ConvertName(child.Name)}", Unwrapped(child.PropertyType),
                    r => property.GetValue(r) is { } value ? child.GetValue(value) : null);
            }
        }
    }

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(DateTimeOffset) || t == typeof(decimal);
    }
}
