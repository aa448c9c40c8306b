using System.Text.Json;

namespace ComplaintDiagnostics.Contracts;

/// <summary>The nested objects of a request and the values of each JSON type (see the other part).</summary>
public static partial class DiagnoseRequestReader
{
    private static bool Checks(ref Utf8JsonReader reader, out FrontDeskChecks? checks)
    {
        checks = null;
        if (!Start(ref reader, out var isNull) || isNull)
        {
            return isNull; // null, or not an object
        }
        bool? restarted = null, settingsOk = null, terminalOk = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "restarted" => Once(ref seen, 0) && Flag(ref reader, out restarted),
                "settingsok" => Once(ref seen, 1) && Flag(ref reader, out settingsOk),
                "terminalok" => Once(ref seen, 2) && Flag(ref reader, out terminalOk),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        checks = new FrontDeskChecks { Restarted = restarted, SettingsOk = settingsOk, TerminalOk = terminalOk };
        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Terminal(ref Utf8JsonReader reader, out Terminal? terminal)
    {
        terminal = null;
        if (!Start(ref reader, out var isNull) || isNull)
        {
            return isNull; // null, or not an object
        }
        TerminalGeneration? generation = null;
        string? brand = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "generation" => Once(ref seen, 0) && Enum(ref reader, out generation),
                "brand" => Once(ref seen, 1) && Text(ref reader, out brand),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        terminal = new Terminal { Generation = generation, Brand = brand };
        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Location(ref Utf8JsonReader reader, out Location? location)
    {
        location = null;
        if (!Start(ref reader, out var isNull) || isNull)
        {
            return isNull; // null, or not an object
        }
        string? description = null;
        Area? area = null;
        bool? indoor = null;
        double? latitude = null, longitude = null;
        int? signalBars = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "description" => Once(ref seen, 0) && Text(ref reader, out description),
                "area" => Once(ref seen, 1) && Enum(ref reader, out area),
                "indoor" => Once(ref seen, 2) && Flag(ref reader, out indoor),
                "latitude" => Once(ref seen, 3) && Real(ref reader, out latitude),
                "longitude" => Once(ref seen, 4) && Real(ref reader, out longitude),
                "signalbars" => Once(ref seen, 5) && Whole(ref reader, out signalBars),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        location = new Location { Description = description, Area = area, Indoor = indoor, Latitude = latitude, Longitude = longitude, SignalBars = signalBars };
        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Network(ref Utf8JsonReader reader, out NetworkFindings? network)
    {
        network = null;
        if (!Start(ref reader, out var isNull) || isNull)
        {
            return isNull; // null, or not an object
        }
        bool? activeAlarms = null, kpiAbnormal = null, similar = null, reproduced = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "activealarms" => Once(ref seen, 0) && Flag(ref reader, out activeAlarms),
                "kpiabnormal" => Once(ref seen, 1) && Flag(ref reader, out kpiAbnormal),
                "similarunresolvedcomplaints" => Once(ref seen, 2) && Flag(ref reader, out similar),
                "reproduced" => Once(ref seen, 3) && Flag(ref reader, out reproduced),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        network = new NetworkFindings { ActiveAlarms = activeAlarms, KpiAbnormal = kpiAbnormal, SimilarUnresolvedComplaints = similar, Reproduced = reproduced };
        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Customer(ref Utf8JsonReader reader, out Customer? customer)
    {
        customer = null;
        if (!Start(ref reader, out var isNull) || isNull)
        {
            return isNull; // null, or not an object
        }
        CustomerTier? tier = null;
        bool? special = null;
        string? msisdn = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "tier" => Once(ref seen, 0) && Enum(ref reader, out tier),
                "specialcircumstances" => Once(ref seen, 1) && Flag(ref reader, out special),
                "msisdn" => Once(ref seen, 2) && Text(ref reader, out msisdn),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        customer = new Customer { Tier = tier, SpecialCircumstances = special, Msisdn = msisdn };
        return reader.TokenType == JsonTokenType.EndObject;
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

    /// <summary>Reads a nested object's first token: true for the object or null (then <paramref name="isNull"/>).</summary>
    private static bool Start(ref Utf8JsonReader reader, out bool isNull)
    {
        reader.Read();
        isNull = reader.TokenType == JsonTokenType.Null;
        return isNull || reader.TokenType == JsonTokenType.StartObject;
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

    private static bool Whole(ref Utf8JsonReader reader, out int? value)
    {
        reader.Read();
        value = null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            value = number;
            return true;
        }
        return reader.TokenType == JsonTokenType.Null;
    }

    private static bool Real(ref Utf8JsonReader reader, out double? value)
    {
        reader.Read();
        value = null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
        {
            value = number;
            return true;
        }
        return reader.TokenType == JsonTokenType.Null;
    }

    private static bool Enum<TEnum>(ref Utf8JsonReader reader, out TEnum? value) where TEnum : struct, System.Enum
    {
        reader.Read();
        value = null;
        if (ContractJson.TryReadEnum<TEnum>(ref reader, out var read))
        {
            value = read;
            return true;
        }
        return reader.TokenType == JsonTokenType.Null;
    }

    private static bool Timestamp(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        reader.Read();
        value = null;
        if (ContractJson.TryReadTimestamp(ref reader, out var read))
        {
            value = read;
            return true;
        }
        return reader.TokenType == JsonTokenType.Null;
    }
}
