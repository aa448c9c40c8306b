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

    private static FrozenDictionary<string, Func<DiagnoseRequest, object?>> Build()
    {
        var readers = new Dictionary<string, Func<DiagnoseRequest, object?>>(StringComparer.Ordinal);
        foreach (var property in typeof(DiagnoseRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (IsLeaf(property.PropertyType))
            {
                readers[name] = r => property.GetValue(r);
                continue;
            }
            foreach (var child in property.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var parent = property;
                readers[$"{name}.{JsonNamingPolicy.CamelCase.ConvertName(child.Name)}"] =
                    r => parent.GetValue(r) is { } value ? child.GetValue(value) : null;
            }
        }
        return readers.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, Type> BuildTypes()
    {
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in typeof(DiagnoseRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (IsLeaf(property.PropertyType))
            {
                types[name] = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                continue;
            }
            foreach (var child in property.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                types[$"{name}.{JsonNamingPolicy.CamelCase.ConvertName(child.Name)}"] = Nullable.GetUnderlyingType(child.PropertyType) ?? child.PropertyType;
            }
        }
        return types.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(DateTimeOffset) || t == typeof(decimal);
    }
}
