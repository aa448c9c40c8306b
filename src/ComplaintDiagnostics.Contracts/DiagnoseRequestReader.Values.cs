using System.Text.Json;

namespace ComplaintDiagnostics.Contracts;

/// <summary>The request's nested objects, the values of each JSON type, and the loop over an object's properties.</summary>
public static partial class DiagnoseRequestReader
{
    /// <summary>Reads one property of an object into <paramref name="parts"/>: false when this reader does not take it.</summary>
    private delegate bool Property<TParts>(ref Utf8JsonReader reader, scoped ReadOnlySpan<char> name, ref TParts parts) where TParts : struct;

    /// <summary>Reads the next value: an object whose every property <paramref name="property"/> takes, or null.</summary>
    private static bool Object<TParts>(ref Utf8JsonReader reader, Property<TParts> property, out TParts parts, out bool isNull) where TParts : struct
    {
        parts = default;
        isNull = reader.Read() && reader.TokenType == JsonTokenType.Null;
        if (isNull || reader.TokenType != JsonTokenType.StartObject)
        {
            return isNull;
        }
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            if (!property(ref reader, name[..length], ref parts))
            {
                return false;
            }
        }
        return reader.TokenType == JsonTokenType.EndObject;
    }

    private struct ChecksParts
    {
        public int Seen;
        public bool? Restarted, SettingsOk, TerminalOk;
    }

    private static bool Checks(ref Utf8JsonReader reader, out FrontDeskChecks? checks)
    {
        var ok = Object(ref reader, static (ref Utf8JsonReader r, scoped ReadOnlySpan<char> name, ref ChecksParts p) => name switch
        {
            "restarted" => Once(ref p.Seen, 0) && Flag(ref r, out p.Restarted),
            "settingsok" => Once(ref p.Seen, 1) && Flag(ref r, out p.SettingsOk),
            "terminalok" => Once(ref p.Seen, 2) && Flag(ref r, out p.TerminalOk),
            _ => false,
        }, out var p, out var isNull);
        checks = ok && !isNull ? new FrontDeskChecks { Restarted = p.Restarted, SettingsOk = p.SettingsOk, TerminalOk = p.TerminalOk } : null;
        return ok;
    }

    private struct TerminalParts
    {
        public int Seen;
        public TerminalGeneration? Generation;
        public string? Brand;
    }

    private static bool Terminal(ref Utf8JsonReader reader, out Terminal? terminal)
    {
        var ok = Object(ref reader, static (ref Utf8JsonReader r, scoped ReadOnlySpan<char> name, ref TerminalParts p) => name switch
        {
            "generation" => Once(ref p.Seen, 0) && Enum(ref r, out p.Generation),
            "brand" => Once(ref p.Seen, 1) && Text(ref r, out p.Brand),
            _ => false,
        }, out var p, out var isNull);
        terminal = ok && !isNull ? new Terminal { Generation = p.Generation, Brand = p.Brand } : null;
        return ok;
    }

    private struct LocationParts
    {
        public int Seen;
        public string? Description;
        public Area? Area;
        public bool? Indoor;
        public double? Latitude, Longitude;
        public int? SignalBars;
    }

    private static bool Location(ref Utf8JsonReader reader, out Location? location)
    {
        var ok = Object(ref reader, static (ref Utf8JsonReader r, scoped ReadOnlySpan<char> name, ref LocationParts p) => name switch
        {
            "description" => Once(ref p.Seen, 0) && Text(ref r, out p.Description),
            "area" => Once(ref p.Seen, 1) && Enum(ref r, out p.Area),
            "indoor" => Once(ref p.Seen, 2) && Flag(ref r, out p.Indoor),
            "latitude" => Once(ref p.Seen, 3) && Real(ref r, out p.Latitude),
            "longitude" => Once(ref p.Seen, 4) && Real(ref r, out p.Longitude),
            "signalbars" => Once(ref p.Seen, 5) && Whole(ref r, out p.SignalBars),
            _ => false,
        }, out var p, out var isNull);
        location = ok && !isNull
            ? new Location { Description = p.Description, Area = p.Area, Indoor = p.Indoor, Latitude = p.Latitude, Longitude = p.Longitude, SignalBars = p.SignalBars }
            : null;
        return ok;
    }

    private struct NetworkParts
    {
        public int Seen;
        public bool? ActiveAlarms, KpiAbnormal, Similar, Reproduced;
    }

    private static bool Network(ref Utf8JsonReader reader, out NetworkFindings? network)
    {
        var ok = Object(ref reader, static (ref Utf8JsonReader r, scoped ReadOnlySpan<char> name, ref NetworkParts p) => name switch
        {
            "activealarms" => Once(ref p.Seen, 0) && Flag(ref r, out p.ActiveAlarms),
            "kpiabnormal" => Once(ref p.Seen, 1) && Flag(ref r, out p.KpiAbnormal),
            "similarunresolvedcomplaints" => Once(ref p.Seen, 2) && Flag(ref r, out p.Similar),
            "reproduced" => Once(ref p.Seen, 3) && Flag(ref r, out p.Reproduced),
            _ => false,
        }, out var p, out var isNull);
        network = ok && !isNull
            ? new NetworkFindings { ActiveAlarms = p.ActiveAlarms, KpiAbnormal = p.KpiAbnormal, SimilarUnresolvedComplaints = p.Similar, Reproduced = p.Reproduced }
            : null;
        return ok;
    }

    private struct CustomerParts
    {
        public int Seen;
        public CustomerTier? Tier;
        public bool? Special;
        public string? Msisdn;
    }

    private static bool Customer(ref Utf8JsonReader reader, out Customer? customer)
    {
        var ok = Object(ref reader, static (ref Utf8JsonReader r, scoped ReadOnlySpan<char> name, ref CustomerParts p) => name switch
        {
            "tier" => Once(ref p.Seen, 0) && Enum(ref r, out p.Tier),
            "specialcircumstances" => Once(ref p.Seen, 1) && Flag(ref r, out p.Special),
            "msisdn" => Once(ref p.Seen, 2) && Text(ref r, out p.Msisdn),
            _ => false,
        }, out var p, out var isNull);
        customer = ok && !isNull ? new Customer { Tier = p.Tier, SpecialCircumstances = p.Special, Msisdn = p.Msisdn } : null;
        return ok;
    }

    /// <summary>Reads the next token; true when it is a property name of ASCII letters, lower-cased into <paramref name="name"/>.
    /// False at the end of the object, or for a name no contract property has (escaped, too long, other characters):
    /// the caller then checks for the end of the object, so an odd name ends the read.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, scoped Span<char> name, out int length)
    {
        length = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || reader.ValueSpan.Length > name.Length)
        {
            return false;
        }
        foreach (var b in reader.ValueSpan)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z'))
            {
                name[length++] = (char)(b | 0x20);
            }
            else
            {
                length = 0;
                return false;
            }
        }
        return true;
    }

    /// <summary>Marks property <paramref name="index"/> read; false the second time (the serializer decides repeats).</summary>
    private static bool Once(ref int seen, int index)
    {
        var bit = 1 << index;
        var first = (seen & bit) == 0;
        seen |= bit;
        return first;
    }

    private static bool Text(ref Utf8JsonReader reader, out string? value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private static bool Flag(ref Utf8JsonReader reader, out bool? value)
    {
        reader.Read();
        value = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
    }

    /// <summary>Reads the current token as a <typeparamref name="T"/>: false when it is not one.</summary>
    private delegate bool TryValue<T>(ref Utf8JsonReader reader, out T value);

    /// <summary>Reads the next value: a <paramref name="type"/> token that <paramref name="tryRead"/> takes, or null.</summary>
    private static bool Value<T>(ref Utf8JsonReader reader, JsonTokenType type, TryValue<T> tryRead, out T? value) where T : struct
    {
        reader.Read();
        value = reader.TokenType == type && tryRead(ref reader, out var read) ? read : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    private static bool Whole(ref Utf8JsonReader reader, out int? value) =>
        Value(ref reader, JsonTokenType.Number, static (ref Utf8JsonReader r, out int v) => r.TryGetInt32(out v), out value);

    private static bool Real(ref Utf8JsonReader reader, out double? value) =>
        Value(ref reader, JsonTokenType.Number, static (ref Utf8JsonReader r, out double v) => r.TryGetDouble(out v), out value);

    private static bool Enum<TEnum>(ref Utf8JsonReader reader, out TEnum? value) where TEnum : struct, System.Enum =>
        Value(ref reader, JsonTokenType.String, ContractJson.TryReadEnum<TEnum>, out value);

    private static bool Timestamp(ref Utf8JsonReader reader, out DateTimeOffset? value) =>
        Value(ref reader, JsonTokenType.String, ContractJson.TryReadTimestamp, out value);
}
