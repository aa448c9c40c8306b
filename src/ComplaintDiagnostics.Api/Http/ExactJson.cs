using System.Text.Json;
using System.Text.Unicode;

namespace ComplaintDiagnostics.Api.Http;

/// <summary>
/// JSON read exactly as written, for the readers that must not guess (outcomes, the TMF621 listeners): a property given
/// twice, of which a reader would silently keep one, or text that is not UTF-8, which the parser lets through and the
/// first read of it throws on, is a problem naming where it is, in a part the reader reads. The parser checks the whole
/// body for both at little cost; only when it finds one is the document walked to name the place (and to pass over what
/// the reader never reads: a ticket system's own fields may repeat "@type").
/// </summary>
internal static class ExactJson
{
    private const string NotUtf8 = "text that is not UTF-8 (saved as GBK or another \"ANSI\" code page?): send it as UTF-8.";

    /// <summary>The document, or the first problem as { path: [why] } (paths as the readers name them: <c>[3].confirmedCause</c>,
    /// <c>event.troubleTicket.id</c>). A body that is no JSON throws <see cref="JsonException"/>, as the parser does.</summary>
    /// <param name="reads">The paths the reader reads, <c>[]</c> for any index (<c>event.troubleTicket.troubleTicketCharacteristic[].name</c>),
    /// with everything under each; null: every part.</param>
    public static (JsonDocument? Document, Dictionary<string, string[]>? Errors) Parse(byte[] body, int maxDepth, IReadOnlyCollection<string>? reads = null)
    {
        JsonDocument document;
        var repeated = false;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // No JSON at all throws again here; JSON with a property given twice (or a name the duplicate check cannot read,
            // an escaped half of a surrogate pair) parses, and is walked below.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            repeated = true;
        }
        // An escape can spell half a surrogate pair (\ud800), which no string can hold: walked too (\u6b20 and the like are not).
        if (!repeated && Utf8.IsValid(body) && body.AsSpan().IndexOf("\\ud"u8) < 0 && body.AsSpan().IndexOf("\\uD"u8) < 0)
        {
            return (document, null);
        }
        if (Walk(document.RootElement, "$", "", reads) is not { } found)
        {
            return (document, null);
        }
        document.Dispose();
        return (null, new() { [found.Path] = [found.Why] });
    }

    private static (string Path, string Why)? Walk(JsonElement element, string path, string pattern, IReadOnlyCollection<string>? reads)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : (path, NotUtf8);
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Read(pattern + "[]", reads) && Walk(item, path == "$" ? $"[{i}]" : $"{path}[{i}]", pattern + "[]", reads) is { } found)
                    {
                        return found;
                    }
                    i++;
                }
                return null;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                    {
                        // The names a reader looks for are ASCII: one that is not UTF-8 is another's, unless the reader reads
                        // this object whole (a characteristic's value).
                        if (reads is null || reads.Any(r => r == pattern || Under(pattern, r)))
                        {
                            return (path, "a property name that is not UTF-8: send the body as UTF-8.");
                        }
                        continue;
                    }
                    var at = path == "$" ? name : $"{path}.{name}";
                    var child = pattern.Length == 0 ? name : $"{pattern}.{name}";
                    if (!Read(child, reads))
                    {
                        continue;
                    }
                    if (!names.Add(name))
                    {
                        return (at, "given twice: give each field once.");
                    }
                    if (Walk(property.Value, at, child, reads) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether the reader reads the part at <paramref name="pattern"/>: one of its paths, on the way to one, or under one.</summary>
    private static bool Read(string pattern, IReadOnlyCollection<string>? reads) =>
        reads is null || reads.Any(r => r == pattern || Under(r, pattern) || Under(pattern, r));

    private static bool Under(string path, string prefix) =>
        path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] is '.' or '[';

    private static bool Readable(JsonElement text)
    {
        try
        {
            return WellFormed(text.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return false; // Bytes that are not UTF-8.
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return WellFormed(name);
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    /// <summary>No half of a surrogate pair on its own (an escaped <c>\ud800</c> reads as one): a string that holds one
    /// cannot be written out again as JSON.</summary>
    private static bool WellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
