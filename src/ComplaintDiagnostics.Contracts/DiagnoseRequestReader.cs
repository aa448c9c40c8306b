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
            if (Object(ref reader, ReadProperty, out RequestParts parts, out var isNull) && !isNull && !reader.Read())
            {
                request = parts.Request;
                return true;
            }
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false; // Malformed JSON or text that is not UTF-8: the serializer says what is wrong.
        }
    }

    /// <summary>A request's properties as they are read (a record's are set only when it is made).</summary>
    private struct RequestParts
    {
        public int Seen;
        public string? TicketId;
        public DateTimeOffset? ReceivedAt;
        public ComplaintType? ComplaintType;
        public Symptom? Symptom;
        public NetworkType? NetworkType;
        public ServiceKind? Service;
        public Billing? Billing;
        public bool? InArrears, DataFeatureEnabled, SimActivated, SpeedThrottled;
        public Roaming? Roaming;
        public Scope? Scope;
        public TimePattern? TimePattern;
        public FrontDeskChecks? FrontDeskChecks;
        public Terminal? Terminal;
        public Location? Location;
        public NetworkFindings? Network;
        public Customer? Customer;
        public ComplaintSource? Source;

        public readonly DiagnoseRequest Request => new()
        {
            TicketId = TicketId, ReceivedAt = ReceivedAt, ComplaintType = ComplaintType, Symptom = Symptom, NetworkType = NetworkType,
            Service = Service, Billing = Billing, InArrears = InArrears, DataFeatureEnabled = DataFeatureEnabled,
            SimActivated = SimActivated, SpeedThrottled = SpeedThrottled, Roaming = Roaming, Scope = Scope,
            TimePattern = TimePattern, FrontDeskChecks = FrontDeskChecks, Terminal = Terminal, Location = Location,
            Network = Network, Customer = Customer, Source = Source,
        };
    }

    private static bool ReadProperty(ref Utf8JsonReader reader, scoped ReadOnlySpan<char> name, ref RequestParts p) => name switch
    {
        "ticketid" => Once(ref p.Seen, 0) && Text(ref reader, out p.TicketId),
        "receivedat" => Once(ref p.Seen, 1) && Timestamp(ref reader, out p.ReceivedAt),
        "complainttype" => Once(ref p.Seen, 2) && Enum(ref reader, out p.ComplaintType),
        "symptom" => Once(ref p.Seen, 3) && Enum(ref reader, out p.Symptom),
        "networktype" => Once(ref p.Seen, 4) && Enum(ref reader, out p.NetworkType),
        "service" => Once(ref p.Seen, 5) && Enum(ref reader, out p.Service),
        "billing" => Once(ref p.Seen, 6) && Enum(ref reader, out p.Billing),
        "inarrears" => Once(ref p.Seen, 7) && Flag(ref reader, out p.InArrears),
        "datafeatureenabled" => Once(ref p.Seen, 8) && Flag(ref reader, out p.DataFeatureEnabled),
        "simactivated" => Once(ref p.Seen, 9) && Flag(ref reader, out p.SimActivated),
        "speedthrottled" => Once(ref p.Seen, 10) && Flag(ref reader, out p.SpeedThrottled),
        "roaming" => Once(ref p.Seen, 11) && Enum(ref reader, out p.Roaming),
        "scope" => Once(ref p.Seen, 12) && Enum(ref reader, out p.Scope),
        "timepattern" => Once(ref p.Seen, 13) && Enum(ref reader, out p.TimePattern),
        "frontdeskchecks" => Once(ref p.Seen, 14) && Checks(ref reader, out p.FrontDeskChecks),
        "terminal" => Once(ref p.Seen, 15) && Terminal(ref reader, out p.Terminal),
        "location" => Once(ref p.Seen, 16) && Location(ref reader, out p.Location),
        "network" => Once(ref p.Seen, 17) && Network(ref reader, out p.Network),
        "customer" => Once(ref p.Seen, 18) && Customer(ref reader, out p.Customer),
        "source" => Once(ref p.Seen, 19) && Enum(ref reader, out p.Source),
        _ => false,
    };
}
