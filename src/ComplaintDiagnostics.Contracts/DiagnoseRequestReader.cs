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
/// 300-byte body (docs/performance.md). What it reads is derived from the contract types
/// (<see cref="ContractObjectReader{T}"/>): a property added to them is read here too. A test compares both on
/// thousands of bodies, valid and mutated.
/// </summary>
public static class DiagnoseRequestReader
{
    // Longer than every property name of the contract; a longer name is not one of them.
    internal const int LongestName = 32;

    /// <summary>The request in <paramref name="json"/>, when it is a body this reader takes (see the class).</summary>
    /// <param name="options">The serializer options the body would otherwise be read with: their reader settings
    /// (comments, trailing commas, depth) apply here too.</param>
    /// <param name="labels">Top-level keys beside the request's own that are taken as strings (a replayed ticket's
    /// <c>confirmedCause</c>); null: none.</param>
    public static bool TryRead(ReadOnlySpan<byte> json, JsonSerializerOptions options, [NotNullWhen(true)] out DiagnoseRequest? request, JsonLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        request = null;
        labels?.Clear();
        var reader = new Utf8JsonReader(json, Reading(options));
        try
        {
            // One object and nothing after it but white space (Read throws on anything else).
            if (ContractObjectReader<DiagnoseRequest>.Instance.Read(ref reader, out var read, labels) && read is not null && !reader.Read())
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

    /// <summary>The reader settings of <paramref name="options"/>.</summary>
    internal static JsonReaderOptions Reading(JsonSerializerOptions options) => new()
    {
        AllowTrailingCommas = options.AllowTrailingCommas,
        CommentHandling = options.ReadCommentHandling,
        MaxDepth = options.MaxDepth,
    };
}
