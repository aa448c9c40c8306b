using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tickets;

/// <summary>
/// The names a body's keys are held against, and the one rule every reader of a complaint applies to a key the
/// contract does not name. A key a typo away from one of its names (<c>inArrear</c>, <c>in_arrears</c>,
/// <c>location.are</c>, a follow-up's <c>progress.contactAt</c>; see <see cref="Meant(string, IReadOnlyList{string})"/>)
/// is most likely a mistake that would leave that field unknown (and a diagnosis, an escalation or a replayed agreement
/// wrong for a reason nobody sees): it is refused with the name meant. Any other key (a client's own
/// <c>customerName</c> or <c>serviceId</c>, a newer client's field) is ignored, as the contract's readers ignore it.
/// Names match in any case, as the serializer reads them.
/// </summary>
public sealed class ContractKeys
{
    private readonly Dictionary<string, ContractKeys?> _inside;

    private ContractKeys(Dictionary<string, ContractKeys?> inside)
    {
        _inside = inside;
        Names = [.. inside.Keys];
    }

    /// <summary>A diagnose request's names, and inside each of its objects theirs (from <see cref="RequestFields"/>).</summary>
    public static ContractKeys Request { get; } = new(RequestFields.Paths.Select(p => p.Split('.')).GroupBy(p => p[0], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Length == 1 ? null : Leaves(g.Select(p => p[1])), StringComparer.Ordinal));

    /// <summary>A follow-up's names: its complaint is a diagnose request.</summary>
    public static ContractKeys FollowUp { get; } = new(new Dictionary<string, ContractKeys?>(StringComparer.Ordinal)
    {
        [Name(nameof(FollowUpRequest.Complaint))] = Request,
        [Name(nameof(FollowUpRequest.Now))] = null,
        [Name(nameof(FollowUpRequest.Progress))] = Leaves(typeof(FollowUpProgress).GetProperties().Select(p => Name(p.Name))),
    });

    public IReadOnlyList<string> Names { get; }

    /// <summary>These names and <paramref name="extra"/> beside them at the top (a replay's label columns); these alone
    /// when there are none.</summary>
    public ContractKeys With(IReadOnlyList<string>? extra)
    {
        if (extra is not { Count: > 0 })
        {
            return this;
        }
        var key = string.Join('\n', extra);
        if (_with is { } kept && kept.Key == key)
        {
            return kept.Keys;
        }
        var inside = new Dictionary<string, ContractKeys?>(_inside, StringComparer.Ordinal);
        foreach (var name in extra)
        {
            inside.TryAdd(name, null);
        }
        var keys = new ContractKeys(inside);
        _with = new Extended(key, keys);
        return keys;
    }

    // The last With (one reference, swapped whole, as replay's threads ask for it): a reader asks for the same labels every time.
    private Extended? _with;

    private sealed record Extended(string Key, ContractKeys Keys);

    /// <summary>The names inside the object <paramref name="name"/> holds (exact case), or null for a name that holds a value.</summary>
    public ContractKeys? Inside(string name) => _inside.GetValueOrDefault(name);

    /// <summary>The name <paramref name="key"/> most likely meant: null when it is one of the names (in any case) or no
    /// typo of any of them (see <see cref="Meant(string, IReadOnlyList{string})"/>).</summary>
    public string? Meant(string key) => Meant(key, Names);

    /// <summary>The rule of <see cref="Meant(string)"/> over any list of names (a replay's, which adds its label columns):
    /// one edit away, or two in a name of nine letters or more (<c>contactAt</c> for <c>contactedAt</c>); a name with
    /// more after it (<c>serviceId</c>, <c>services</c>) is taken for a field of its own.</summary>
    public static string? Meant(string key, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (names.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        return DidYouMean.Closest(key, names, maxEdits: key.Length >= 9 ? 2 : 1) is { } meant
            && !key.StartsWith(meant, StringComparison.OrdinalIgnoreCase) ? meant : null;
    }

    /// <summary>What is said of a misspelt key, after its path.</summary>
    public static string Message(string meantPath) => $"not a field of the contract; did you mean '{meantPath}'?";

    /// <summary>The first misspelt key of <paramref name="element"/>, at any depth these names reach: its request path
    /// (after <paramref name="prefix"/>) and the path meant; null when there is none.</summary>
    public (string Path, string Meant)? FirstMisspelt(JsonElement element, string prefix = "")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                continue; // A name that is not UTF-8 is no name of the contract's, and the serializer passed over it.
            }
            if (Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is not { } known)
            {
                if (Meant(name) is { } meant)
                {
                    return (prefix + name, prefix + meant);
                }
                continue;
            }
            if (Inside(known)?.FirstMisspelt(property.Value, prefix + known + ".") is { } nested)
            {
                return nested;
            }
        }
        return null;
    }

    /// <summary><see cref="FirstMisspelt(JsonElement, string)"/> of a body the serializer has read (so JSON, read here as
    /// leniently as its options read it); null when it is not.</summary>
    public (string Path, string Meant)? FirstMisspelt(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return FirstMisspelt(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The misspelt key of <paramref name="body"/> as a 400's errors (<c>{ path: [message] }</c>), or null.</summary>
    public Dictionary<string, string[]>? Errors(ReadOnlyMemory<byte> body) => Errors(FirstMisspelt(body));

    /// <summary>The same for a body already parsed (a batch's item).</summary>
    public Dictionary<string, string[]>? Errors(JsonElement element) => Errors(FirstMisspelt(element));

    private static Dictionary<string, string[]>? Errors((string Path, string Meant)? misspelt) =>
        misspelt is var (path, meant) ? new() { [path] = [Message(meant)] } : null;

    private static ContractKeys Leaves(IEnumerable<string> names) =>
        new(names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => (ContractKeys?)null, StringComparer.Ordinal));

    private static string Name(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);
}
