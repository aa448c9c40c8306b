using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Reads a <see cref="DiagnoseRequest"/> straight from its UTF-8 bytes, for the bodies front desks send: an object
/// of the contract's properties (names in any case, unescaped), each at most once, each value of its JSON type or
/// null. For such a body it gives the record the serializer gives with <see cref="ContractJson.Options"/>. Anything
/// else (an unknown or repeated property, an escaped name, a value the serializer would refuse, malformed JSON)
/// gives false, and the caller has the serializer read the body, which also says what is wrong with it. The
/// service reads each diagnose request here first: the reflection-based serializer spent about 5% of its CPU on a
/// 300-byte body (docs/performance.md). A test compares both on thousands of bodies, valid and mutated, and fails
/// when a property is added to the contract and not here.
/// </summary>
public static partial class DiagnoseRequestReader
{
    // Longer than every property name of the contract; a longer name is not one of them.
    private const int LongestName = 32;

    /// <summary>The request in <paramref name="json"/>, when it is a body this reader takes (see the class).</summary>
    /// <param name="options">The serializer options the body would otherwise be read with: their reader settings
    /// (comments, trailing commas, depth) apply here too.</param>
    public static bool TryRead(ReadOnlySpan<byte> json, JsonSerializerOptions options, [NotNullWhen(true)] out DiagnoseRequest? request)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth,
        });
        try
        {
            // One object and nothing after it but white space (Read throws on anything else).
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && Request(ref reader, out var read) && !reader.Read())
            {
                request = read;
                return true;
            }
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false; // Malformed JSON or text that is not UTF-8: the serializer says what is wrong.
        }
    }

    private static bool Request(ref Utf8JsonReader reader, [NotNullWhen(true)] out DiagnoseRequest? request)
    {
        request = null;
        string? ticketId = null;
        DateTimeOffset? receivedAt = null;
        ComplaintType? complaintType = null;
        Symptom? symptom = null;
        NetworkType? networkType = null;
        ServiceKind? service = null;
        Billing? billing = null;
        bool? inArrears = null, dataFeatureEnabled = null, simActivated = null, speedThrottled = null;
        Roaming? roaming = null;
        Scope? scope = null;
        TimePattern? timePattern = null;
        FrontDeskChecks? frontDeskChecks = null;
        Terminal? terminal = null;
        Location? location = null;
        NetworkFindings? network = null;
        Customer? customer = null;
        ComplaintSource? source = null;
        var seen = 0;
        Span<char> name = stackalloc char[LongestName];
        while (NextProperty(ref reader, name, out var length))
        {
            var ok = name[..length] switch
            {
                "ticketid" => Once(ref seen, 0) && Text(ref reader, out ticketId),
                "receivedat" => Once(ref seen, 1) && Timestamp(ref reader, out receivedAt),
                "complainttype" => Once(ref seen, 2) && Enum(ref reader, out complaintType),
                "symptom" => Once(ref seen, 3) && Enum(ref reader, out symptom),
                "networktype" => Once(ref seen, 4) && Enum(ref reader, out networkType),
                "service" => Once(ref seen, 5) && Enum(ref reader, out service),
                "billing" => Once(ref seen, 6) && Enum(ref reader, out billing),
                "inarrears" => Once(ref seen, 7) && Flag(ref reader, out inArrears),
                "datafeatureenabled" => Once(ref seen, 8) && Flag(ref reader, out dataFeatureEnabled),
                "simactivated" => Once(ref seen, 9) && Flag(ref reader, out simActivated),
                "speedthrottled" => Once(ref seen, 10) && Flag(ref reader, out speedThrottled),
                "roaming" => Once(ref seen, 11) && Enum(ref reader, out roaming),
                "scope" => Once(ref seen, 12) && Enum(ref reader, out scope),
                "timepattern" => Once(ref seen, 13) && Enum(ref reader, out timePattern),
                "frontdeskchecks" => Once(ref seen, 14) && Checks(ref reader, out frontDeskChecks),
                "terminal" => Once(ref seen, 15) && Terminal(ref reader, out terminal),
                "location" => Once(ref seen, 16) && Location(ref reader, out location),
                "network" => Once(ref seen, 17) && Network(ref reader, out network),
                "customer" => Once(ref seen, 18) && Customer(ref reader, out customer),
                "source" => Once(ref seen, 19) && Enum(ref reader, out source),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }
        request = new DiagnoseRequest
        {
            TicketId = ticketId, ReceivedAt = receivedAt, ComplaintType = complaintType, Symptom = symptom, NetworkType = networkType,
            Service = service, Billing = billing, InArrears = inArrears, DataFeatureEnabled = dataFeatureEnabled,
            SimActivated = simActivated, SpeedThrottled = speedThrottled, Roaming = roaming, Scope = scope,
            TimePattern = timePattern, FrontDeskChecks = frontDeskChecks, Terminal = terminal, Location = location,
            Network = network, Customer = customer, Source = source,
        };
        return true;
    }
}
