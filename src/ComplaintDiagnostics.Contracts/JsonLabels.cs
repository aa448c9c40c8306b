using System.Text;
using System.Text.Json;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// String values kept beside a request at the top level of its object, by exact name: a replayed ticket's
/// <c>confirmedCause</c> and <c>confirmedRoute</c>. One instance per reader (it holds the last object's values).
/// </summary>
public sealed class JsonLabels
{
    private readonly byte[][] _utf8;
    private readonly string?[] _values;
    private int _seen;

    public JsonLabels(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Names = names;
        _utf8 = [.. names.Select(Encoding.UTF8.GetBytes)];
        _values = new string?[names.Length];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The value of label <paramref name="index"/> in the last object read: null when absent or null.</summary>
    public string? this[int index] => _values[index];

    internal void Clear()
    {
        _seen = 0;
        Array.Clear(_values);
    }

    private int IndexOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Takes the current property when it is one of the labels, first seen, with a string or null: false otherwise.</summary>
    internal bool Read(ref Utf8JsonReader reader)
    {
        var i = IndexOf(ref reader);
        if (i < 0 || (_seen & (1 << i)) != 0 || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            return false;
        }
        _seen |= 1 << i;
        _values[i] = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return true;
    }

    /// <summary>Reads the labels of an object the serializer has read (so JSON, read as its options read it), skipping
    /// everything else: the name of a label given twice, or null. A label that is no string is taken as absent.</summary>
    public string? Scan(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Clear();
        var reader = new Utf8JsonReader(json, DiagnoseRequestReader.Reading(options));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = IndexOf(ref reader);
            if (index >= 0 && (_seen & (1 << index)) != 0)
            {
                return Names[index];
            }
            reader.Read();
            if (index >= 0)
            {
                _seen |= 1 << index;
                _values[index] = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Skip();
        }
        return null;
    }
}
