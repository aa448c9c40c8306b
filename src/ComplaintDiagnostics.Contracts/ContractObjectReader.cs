using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Reads one contract object (<typeparamref name="T"/>) from the reader's next value, derived from the type's own
/// properties: their names as the serializer names them (camelCase or <see cref="JsonPropertyNameAttribute"/>), each
/// value by its type (text, flag, whole or real number, timestamp, enum wire name, a nested contract object). A property
/// added to a contract type is read here with nothing else to write; a property of a type this reader does not know
/// stops the first read with the property named (a test reads a request with every property set).
/// </summary>
internal sealed class ContractObjectReader<T> where T : class, new()
{
    public static readonly ContractObjectReader<T> Instance = new();

    private readonly Member<T>[] _members;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;

    private ContractObjectReader()
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToArray();
        if (properties.Length > 32)
        {
            throw new NotSupportedException($"{typeof(T).Name} has {properties.Length} properties; a contract object is read by hand with at most 32.");
        }
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < properties.Length; i++)
        {
            var name = properties[i].GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(properties[i].Name);
            if (name.Length > DiagnoseRequestReader.LongestName || !name.All(char.IsAsciiLetter))
            {
                throw new NotSupportedException($"{typeof(T).Name}.{properties[i].Name}: '{name}' is read by hand only as ASCII letters, at most {DiagnoseRequestReader.LongestName}.");
            }
            names.Add(name.ToLowerInvariant(), i);
        }
        _members = [.. properties.Select(Member<T>.For)];
        _byName = names.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Reads the next value: an object whose every property is one of <typeparamref name="T"/>'s (any case, each at
    /// most once, each of its JSON type or null), or null. Any other key is offered to <paramref name="labels"/> (the top
    /// level only); false for anything this reader leaves to the serializer.</summary>
    public bool Read(ref Utf8JsonReader reader, out T? value, JsonLabels? labels = null)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var target = new T();
        var seen = 0;
        Span<char> name = stackalloc char[DiagnoseRequestReader.LongestName];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (Index(ref reader, name) is var index and >= 0)
            {
                var bit = 1 << index;
                if ((seen & bit) != 0 || !_members[index].Read(ref reader, target))
                {
                    return false; // A repeat is the serializer's to word.
                }
                seen |= bit;
            }
            else if (labels is null || !labels.Read(ref reader))
            {
                return false;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }
        value = target;
        return true;
    }

    /// <summary>The property the current name is (ASCII letters in any case), or -1 (escaped, too long, other characters, unknown).</summary>
    private int Index(ref Utf8JsonReader reader, scoped Span<char> name)
    {
        var bytes = reader.ValueSpan;
        if (reader.ValueIsEscaped || reader.HasValueSequence || bytes.Length > name.Length)
        {
            return -1;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (!char.IsAsciiLetter((char)b))
            {
                return -1;
            }
            name[i] = (char)(b | 0x20);
        }
        return _byName.TryGetValue(name[..bytes.Length], out var index) ? index : -1;
    }
}

/// <summary>Reads one property's value into an object of <typeparamref name="T"/>: false when it is not of its JSON type.</summary>
internal abstract class Member<T> where T : class
{
    public abstract bool Read(ref Utf8JsonReader reader, T target);

    public static Member<T> For(PropertyInfo property)
    {
        var type = property.PropertyType;
        var value = Nullable.GetUnderlyingType(type);
        Type member = type == typeof(string) ? typeof(TextMember<>).MakeGenericType(typeof(T))
            : value == typeof(bool) ? typeof(FlagMember<>).MakeGenericType(typeof(T))
            : value == typeof(int) ? typeof(WholeMember<>).MakeGenericType(typeof(T))
            : value == typeof(double) ? typeof(RealMember<>).MakeGenericType(typeof(T))
            : value == typeof(DateTimeOffset) ? typeof(TimestampMember<>).MakeGenericType(typeof(T))
            : value is { IsEnum: true } ? typeof(EnumMember<,>).MakeGenericType(typeof(T), value)
            : value is null && type.IsClass && type.Namespace == typeof(Member<>).Namespace && type.GetConstructor(Type.EmptyTypes) is not null
                ? typeof(ObjectMember<,>).MakeGenericType(typeof(T), type)
            : throw new NotSupportedException(
                $"{typeof(T).Name}.{property.Name}: a {type.Name} is not read by hand; give it a text, flag, number, timestamp, enum or contract-object type, or teach {nameof(Member<T>)}.{nameof(For)} to read it.");
        return (Member<T>)Activator.CreateInstance(member, property.SetMethod!.CreateDelegate(typeof(Action<,>).MakeGenericType(typeof(T), type)))!;
    }

    /// <summary>Reads the next value: a <paramref name="token"/> that <paramref name="tryRead"/> takes, or null.</summary>
    protected static bool Value<TValue>(ref Utf8JsonReader reader, JsonTokenType token, TryValue<TValue> tryRead, out TValue? value) where TValue : struct
    {
        reader.Read();
        value = reader.TokenType == token && tryRead(ref reader, out var read) ? read : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    protected delegate bool TryValue<TValue>(ref Utf8JsonReader reader, out TValue value);
}

internal sealed class TextMember<T>(Action<T, string?> set) : Member<T> where T : class
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        reader.Read();
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            return false;
        }
        set(target, reader.TokenType == JsonTokenType.String ? reader.GetString() : null);
        return true;
    }
}

internal sealed class FlagMember<T>(Action<T, bool?> set) : Member<T> where T : class
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        reader.Read();
        bool? value = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
        set(target, value);
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }
}

internal sealed class WholeMember<T>(Action<T, int?> set) : Member<T> where T : class
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        var ok = Value(ref reader, JsonTokenType.Number, static (ref Utf8JsonReader r, out int v) => r.TryGetInt32(out v), out var value);
        set(target, value);
        return ok;
    }
}

internal sealed class RealMember<T>(Action<T, double?> set) : Member<T> where T : class
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        var ok = Value(ref reader, JsonTokenType.Number, static (ref Utf8JsonReader r, out double v) => r.TryGetDouble(out v), out var value);
        set(target, value);
        return ok;
    }
}

internal sealed class TimestampMember<T>(Action<T, DateTimeOffset?> set) : Member<T> where T : class
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        var ok = Value<DateTimeOffset>(ref reader, JsonTokenType.String, ContractJson.TryReadTimestamp, out var value);
        set(target, value);
        return ok;
    }
}

internal sealed class EnumMember<T, TEnum>(Action<T, TEnum?> set) : Member<T> where T : class where TEnum : struct, Enum
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        var ok = Value<TEnum>(ref reader, JsonTokenType.String, ContractJson.TryReadEnum<TEnum>, out var value);
        set(target, value);
        return ok;
    }
}

internal sealed class ObjectMember<T, TChild>(Action<T, TChild?> set) : Member<T> where T : class where TChild : class, new()
{
    public override bool Read(ref Utf8JsonReader reader, T target)
    {
        var ok = ContractObjectReader<TChild>.Instance.Read(ref reader, out var value);
        set(target, value);
        return ok;
    }
}
