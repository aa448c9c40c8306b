using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Decisions;

/// <summary>
/// The one door between an answer or a complaint and the record: personal fields (those the contract marks
/// <see cref="PersonalDataAttribute"/>, <c>customer.msisdn</c> today) are left out, and every other string goes
/// through <see cref="Privacy.MaskNumbers"/>, the same masking as the logs, so a phone number typed into a location
/// description is not kept either. Chinese text stays readable in the store (no \u escapes).
/// </summary>
public static class RecordedJson
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The complaint as it will be kept.</summary>
    public static string Complaint(DiagnoseRequest request) =>
        Clean(JsonSerializer.SerializeToUtf8Bytes(request, ContractJson.Options), RequestFields.Personal);

    /// <summary>A follow-up request as it will be kept: its complaint's personal fields left out as a complaint's are.</summary>
    public static string FollowUp(FollowUpRequest request) =>
        Clean(JsonSerializer.SerializeToUtf8Bytes(request, ContractJson.Options), FollowUpPersonal);

    private static readonly IReadOnlySet<string> FollowUpPersonal = RequestFields.Personal.Select(p => "complaint." + p).ToHashSet(StringComparer.Ordinal);

    /// <summary>Any answer as it will be kept, written once with the options it was sent with. An answer holds nothing of
    /// the complaint but its ticket id (kept as given, in its own column too): the rules cannot read a personal field
    /// (the compiler refuses one) and a reply's only placeholders are its deadlines, so there is no free text to mask.</summary>
    public static string Answer<T>(T answer, JsonSerializerOptions options) => JsonSerializer.Serialize(answer, options);

    /// <summary>A text as a column of the store keeps it: control characters (a NUL, which PostgreSQL refuses in text,
    /// and would fail the whole batch again on every retry) replaced by U+FFFD.</summary>
    public static string? Column(string? text) =>
        text is null || !text.Any(char.IsControl) ? text : string.Concat(text.Select(c => char.IsControl(c) ? '\uFFFD' : c));

    /// <summary>Copies <paramref name="json"/> without the properties at <paramref name="dropPaths"/> (dotted request
    /// paths, e.g. <c>customer.msisdn</c>) and with every string masked.</summary>
    public static string Clean(ReadOnlySpan<byte> json, IReadOnlySet<string> dropPaths)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        using (var writer = new Utf8JsonWriter(output, Writer))
        {
            var reader = new Utf8JsonReader(json);
            var path = new List<string>();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        path.Add("");
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        path.Add("[]");
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        path[^1] = name;
                        if (dropPaths.Count > 0 && EndsOne(dropPaths, name) && dropPaths.Contains(string.Join('.', path)))
                        {
                            reader.Read();
                            reader.Skip();
                            continue;
                        }
                        writer.WritePropertyName(name);
                        break;
                    case JsonTokenType.String:
                        // A time (receivedAt, every deadline of an answer) holds digits enough to look like a number to
                        // mask, but no phone number can hide in one: it is copied as it is, without the masking's scan.
                        if (!reader.TryGetDateTimeOffset(out _))
                        {
                            writer.WriteStringValue(Privacy.MaskNumbers(reader.GetString()));
                        }
                        else if (reader.ValueIsEscaped)
                        {
                            writer.WriteStringValue(reader.GetString());
                        }
                        else
                        {
                            writer.WriteStringValue(reader.ValueSpan);
                        }
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(false);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Whether a property of this name may be one to drop (a path ends with it): only then is its path joined.</summary>
    private static bool EndsOne(IReadOnlySet<string> paths, string name)
    {
        foreach (var path in paths)
        {
            if (path.EndsWith(name, StringComparison.Ordinal) && (path.Length == name.Length || path[path.Length - name.Length - 1] == '.'))
            {
                return true;
            }
        }
        return false;
    }
}
