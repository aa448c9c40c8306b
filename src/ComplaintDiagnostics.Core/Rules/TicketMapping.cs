using System.Collections.Frozen;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// How a TM Forum TMF621 trouble ticket of the operator's ticket system reads as a complaint and as a confirmed cause
/// (<c>rules/tmf621.json</c>, rule data the NOC adapts to its ticket system's vocabulary). A characteristic named as a
/// request path of the contract (<c>billing</c>, <c>frontDeskChecks.restarted</c>, <c>location.latitude</c>) is that field
/// without being listed; <see cref="Characteristics"/> adds the ticket system's own names. Names and codes are matched
/// case-insensitively, as ticket systems differ in case.
/// </summary>
/// <param name="TicketTypes">The <c>ticketType</c> values diagnosed (others are acknowledged and left alone).</param>
/// <param name="Characteristics">A characteristic's name in the ticket system → the request path it means.</param>
/// <param name="RelatedEntities">A <c>relatedEntity</c>'s role → the request path its entity's name (else id) gives, e.g. the
/// role <c>serviceLocation</c> → <c>location.description</c>.</param>
/// <param name="Channels">A <c>channel</c>'s name or id → the contract's <c>source</c>.</param>
/// <param name="ConfirmedCauseCharacteristic">The characteristic that carries the confirmed cause on a resolved ticket.</param>
/// <param name="ResolutionCodes">A resolution code (<c>statusChangeReason</c> or the confirmed-cause characteristic) → a cause
/// code of the catalogue.</param>
public sealed record TicketMapping(
    IReadOnlySet<string> TicketTypes,
    IReadOnlyDictionary<string, string> Characteristics,
    IReadOnlyDictionary<string, string> RelatedEntities,
    IReadOnlyDictionary<string, string> Channels,
    string ConfirmedCauseCharacteristic,
    IReadOnlyDictionary<string, string> ResolutionCodes)
{
    public const string File = "tmf621.json";

    /// <summary>Fields the ticket itself gives (its <c>id</c>, <c>creationDate</c>, <c>channel</c>), which no characteristic may
    /// replace: a characteristic named <c>ticketId</c> would otherwise record, and write back to, another ticket.</summary>
    public static readonly IReadOnlySet<string> FromTheTicket = new HashSet<string>(["ticketId", "receivedAt", "source"], StringComparer.Ordinal);

    /// <summary>The request paths a characteristic may give.</summary>
    public static IEnumerable<string> CharacteristicPaths => RequestFields.Paths.Where(p => !FromTheTicket.Contains(p));

    private static readonly FrozenDictionary<string, string> ContractPaths =
        CharacteristicPaths.ToFrozenDictionary(p => p, p => p, StringComparer.OrdinalIgnoreCase);

    /// <summary>Without the file: complaints only, characteristics named as the contract's paths, <c>confirmedCause</c>.</summary>
    public static TicketMapping Default { get; } = new(
        new HashSet<string>(["complaint"], StringComparer.OrdinalIgnoreCase),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        "confirmedCause",
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The request path a characteristic means, or null when it means none (a ticket system sends many).</summary>
    public string? PathOf(string name) =>
        Characteristics.TryGetValue(name, out var path) ? path : ContractPaths.GetValueOrDefault(name);
}
