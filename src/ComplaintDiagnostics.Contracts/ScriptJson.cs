namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// JSON made safe to sit inside an HTML <c>&lt;script&gt;</c> element, whatever wrote it: <c>&lt;</c>, <c>&gt;</c> and
/// <c>&amp;</c> become <c>\u003c</c>, <c>\u003e</c>, <c>\u0026</c> (so no <c>&lt;/script&gt;</c> or <c>&lt;!--</c> can end or bend
/// the element), and U+2028/U+2029 become <c>\u2028</c>/<c>\u2029</c> (line terminators to older script parsers). Outside
/// strings JSON holds none of these characters, so the replacement never changes what the JSON says. The one door for
/// data a page embeds: a report's own values and lines spilled or merged from elsewhere alike.
/// </summary>
public static class ScriptJson
{
    /// <summary>The UTF-8 JSON in <paramref name="json"/>, encoded for a script element.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> json)
    {
        var output = new List<byte>(json.Length + 64);
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            switch (b)
            {
                case (byte)'<':
                    Append(output, "\\u003c");
                    break;
                case (byte)'>':
                    Append(output, "\\u003e");
                    break;
                case (byte)'&':
                    Append(output, "\\u0026");
                    break;
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                case 0xE2 when i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] is 0xA8 or 0xA9:
                    Append(output, json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
                    i += 2;
                    break;
                default:
                    output.Add(b);
                    break;
            }
        }
        return [.. output];
    }

    private static void Append(List<byte> output, string ascii)
    {
        foreach (var c in ascii)
        {
            output.Add((byte)c);
        }
    }
}
