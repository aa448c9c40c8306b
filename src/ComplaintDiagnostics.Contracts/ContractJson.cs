using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplaintDiagnostics.Contracts;

/// <summary>The JSON settings of the v1 contract: camelCase, enums as strings matched case-insensitively
/// on input and written exactly on output, nulls left out, timestamps with an explicit offset.</summary>
public static class ContractJson
{
    /// <summary>Ready-made options for clients that do not configure their own serializer.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the contract's settings to an existing options instance (ASP.NET's, Refit's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        // A property given twice ("billing" twice, or "complaintType" and "ComplaintType") is ambiguous: the serializer
        // would keep the last one and diagnose a complaint the front desk may not have meant. Refused, naming it.
        options.AllowDuplicateProperties = false;
        // Reply texts are Chinese and front desks read raw JSON: write text as text, not \u escapes.
        // The relaxed encoder is meant for payloads that are not embedded in HTML, which this contract's are not.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new ContractEnumConverterFactory());
        options.Converters.Add(new OffsetTimestampConverter());
        return options;
    }

    /// <summary>The request path of the property a <see cref="JsonException"/> reports as given twice in one object (read
    /// with duplicates refused, as <see cref="Options"/> and <see cref="NoDuplicates"/> do), spelled as the contract
    /// spells it (<c>location.area</c> for a body's <c>location.Area</c>), or null when it reports something else.</summary>
    public static string? DuplicateProperty(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // "Duplicate property 'area' encountered during deserialization of type '...'": the name as the contract has it.
        const string Prefix = "Duplicate property '";
        var message = exception.Message;
        if (!message.StartsWith(Prefix, StringComparison.Ordinal) || message.IndexOf('\'', Prefix.Length) is not (var end and > 0))
        {
            return null;
        }
        var path = (exception.Path ?? "$").TrimStart('$').TrimStart('.');
        var dot = path.LastIndexOf('.');
        return (dot >= 0 ? path[..(dot + 1)] : "") + message[Prefix.Length..end];
    }

    /// <summary>What to say of a property given twice, under its path.</summary>
    public const string GivenTwice = "given more than once; send each property once.";

    /// <summary>Document options that refuse a property given twice in one object, as <see cref="Options"/> does.</summary>
    public static JsonDocumentOptions NoDuplicates => new() { AllowDuplicateProperties = false };

    /// <summary>The wire name of an enum value, e.g. <c>GroupFault</c> → <c>groupFault</c>, <c>Lte</c> → <c>LTE</c>.</summary>
    public static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => EnumNames<TEnum>.ToWire[value];

    /// <summary>The wire name of an enum value, encoded for <see cref="Utf8JsonWriter"/>.</summary>
    internal static JsonEncodedText EncodedWireName<TEnum>(TEnum value) where TEnum : struct, Enum => EnumNames<TEnum>.Encoded[value];

    /// <summary>All wire names of an enum, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames<TEnum>() where TEnum : struct, Enum => EnumNames<TEnum>.All;

    /// <summary>The wire names of any enum type with the C# member each names, in declaration order
    /// (for code that knows the type only at run time, such as the rule tables' value lists).</summary>
    public static IReadOnlyList<(string Wire, string Member)> EnumWireNames(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        return [.. enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
            (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name), f.Name))];
    }

    /// <summary>Parses a wire name case-insensitively.</summary>
    public static bool TryParseWire<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        EnumNames<TEnum>.FromWire.TryGetValue(text ?? "", out value);

    private static class EnumNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ToWire = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(
                f => (TEnum)f.GetValue(null)!,
                f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name));

        public static readonly Dictionary<string, TEnum> FromWire =
            ToWire.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

        public static readonly IReadOnlyList<string> All = [.. ToWire.Values];

        // Hot-path forms of the same names: pre-encoded for writing, and a span lookup so that reading a
        // value does not allocate a string.
        public static readonly Dictionary<TEnum, JsonEncodedText> Encoded =
            ToWire.ToDictionary(kv => kv.Key, kv => JsonEncodedText.Encode(kv.Value));

        public static readonly Dictionary<string, TEnum>.AlternateLookup<ReadOnlySpan<char>> FromWireSpan =
            FromWire.GetAlternateLookup<ReadOnlySpan<char>>();

        public static readonly int LongestName = All.Max(n => n.Length);
    }

    private sealed class ContractEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ContractEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class ContractEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (TryReadEnum<TEnum>(ref reader, out var value))
            {
                return value;
            }
            var got = reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : $"a {reader.TokenType}";
            throw new JsonException($"{got} is not allowed; use one of: {string.Join(", ", EnumNames<TEnum>.All)}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(EnumNames<TEnum>.Encoded[value]);
    }

    /// <summary>Deadlines count from receivedAt in its own offset, so a timestamp without one is ambiguous and refused.</summary>
    private sealed class OffsetTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TryReadTimestamp(ref reader, out var value) ? value
            : reader.TokenType == JsonTokenType.String && BeyondRepresentable(reader.GetString()!) ? throw new JsonException(DiagnoseRequestValidation.OutOfRange)
            : throw new JsonException("expected an ISO-8601 timestamp with an offset, e.g. 2026-11-28T09:30:00+08:00.");

        /// <summary>A well-formed time whose offset takes it past what a timestamp can hold (9999-12-31T23:59:59-14:00,
        /// 0001-01-01T00:00:00+08:00): out of range, not malformed. Only on the error path.</summary>
        private static bool BeyondRepresentable(string text)
        {
            var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
            var offset = t < 0 ? -1 : text.AsSpan(t + 1).IndexOfAny('+', '-');
            return offset >= 0
                && DateTimeOffset.TryParse(text[..(t + 1 + offset)] + "Z", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                && DateTimeOffset.TryParse("2000-01-01T00:00:00" + text[(t + 1 + offset)..], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            // Utf8JsonWriter writes seconds always, fractions only when the timestamp has them, and the offset:
            // 09:30:00+08:00, 09:30:00.25+08:00.
            writer.WriteStringValue(value);
    }

    /// <summary>An enum value as the contract reads it: a string token holding a wire name, in any case.</summary>
    internal static bool TryReadEnum<TEnum>(ref Utf8JsonReader reader, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        // A value longer than every name cannot match; CopyString would not fit it either.
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > EnumNames<TEnum>.LongestName * 3)
        {
            return false;
        }
        Span<char> text = stackalloc char[EnumNames<TEnum>.LongestName * 3];
        return EnumNames<TEnum>.FromWireSpan.TryGetValue(text[..reader.CopyString(text)], out value);
    }

    /// <summary>A timestamp as the contract reads it: a string token, ISO 8601 with an explicit offset (deadlines count
    /// from receivedAt in its own offset, so one without is ambiguous and refused).</summary>
    internal static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        // The common case, ISO 8601 with an offset, without allocating; anything else takes the general path.
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && HasExplicitOffset(reader.ValueSpan) && reader.TryGetDateTimeOffset(out value))
        {
            return true;
        }
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        value = default;
        return text is not null
            && HasExplicitOffset(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>A timestamp given as text outside a JSON body (a query parameter, a ticket system's field): ISO 8601 with an
    /// explicit offset at its end (+08:00, +0800, Z); a time without its offset, a bare date, 10:00 or 30-Oct-2026 are not.</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is { Length: <= 64 } && IsoWithOffset.IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static readonly System.Text.RegularExpressions.Regex IsoWithOffset = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static bool HasExplicitOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 0)
        {
            return false;
        }
        var time = text.AsSpan(t + 1);
        return time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.IndexOfAny('+', '-') >= 0;
    }

    /// <summary>The same test on the UTF-8 text.</summary>
    private static bool HasExplicitOffset(ReadOnlySpan<byte> text)
    {
        var t = text.IndexOfAny((byte)'T', (byte)'t');
        if (t < 0)
        {
            return false;
        }
        var time = text[(t + 1)..];
        return time is [.., (byte)'Z' or (byte)'z'] || time.IndexOfAny((byte)'+', (byte)'-') >= 0;
    }
}
