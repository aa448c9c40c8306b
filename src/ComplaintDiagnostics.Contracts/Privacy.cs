using System.Globalization;
using System.Text;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Personal numbers never appear in full in logs, traces, consoles or reports, and no request value can
/// forge a log line. <see cref="ForLog"/> is the one door a request value goes through before it is written
/// anywhere a person reads.
/// </summary>
public static partial class Privacy
{
    /// <summary>The longest request value written to a log or a report; longer ones are cut with '…'.</summary>
    public const int MaxLoggedLength = 128;

    /// <summary>13812341234 → 138****1234: enough to match a callback, not enough to call.</summary>
    public static string MaskMsisdn(string? msisdn) =>
        string.IsNullOrEmpty(msisdn) ? "" : msisdn.Length <= 7 ? new string('*', msisdn.Length) : msisdn[..3] + "****" + msisdn[^4..];

    /// <summary>A request value as it may be logged or printed: control and invisible formatting characters
    /// removed (no forged lines, no terminal escapes), phone and ID numbers masked, at most
    /// <see cref="MaxLoggedLength"/> characters.</summary>
    public static string ForLog(string? value) => Clean(value, MaxLoggedLength);

    /// <summary>Like <see cref="ForLog"/> without the length limit: for messages that quote a value.</summary>
    public static string Clean(string? value) => Clean(value, int.MaxValue);

    private static string Clean(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var masked = MaskNumbers(value);
        if (masked.Length <= maxLength && !masked.Any(IsInvisible))
        {
            return masked; // The usual ticket id: nothing to strip or cut, nothing allocated.
        }
        var clean = new StringBuilder(Math.Min(masked.Length, 4096));
        foreach (var c in masked)
        {
            if (IsInvisible(c))
            {
                continue;
            }
            if (clean.Length == maxLength)
            {
                clean.Append('…');
                break;
            }
            clean.Append(c);
        }
        return clean.ToString();
    }

    /// <summary>
    /// Masks the personal numbers in free text, whatever their spelling: Chinese mobile numbers (with or without
    /// +86/0086, split by spaces, dashes, dots or brackets, in full-width digits, with zero-width characters in
    /// between), landline numbers with an area code, resident ID numbers (15 or 18 characters), and any other
    /// unbroken run of 11 or more digits. A ticket id whose digit groups form none of these (10010-20261128-0001)
    /// stays readable.
    /// </summary>
    public static string MaskNumbers(string? text)
    {
        if (string.IsNullOrEmpty(text) || !HasTenDigits(text))
        {
            return text ?? ""; // The shortest number masked (a landline with its area code) has 10 digits.
        }
        StringBuilder? result = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsDigit(text[i]))
            {
                i++;
                continue;
            }
            var span = NumberSpan.Read(text, i);
            foreach (var (start, end, replacement) in span.DigitCount < 10 ? [] : span.Matches())
            {
                result ??= new StringBuilder(text.Length);
                var from = start == 0 && span.Plus is { } plus ? plus : span.CharIndex[start];
                result.Append(text, copied, from - copied).Append(replacement);
                copied = span.CharIndex[end - 1] + 1;
            }
            i = span.End;
        }
        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>A digit's value: any script's (full-width too) and the Chinese numerals a number is written or said in
    /// (一三八, 幺 for 1 and 两 for 2 as read out on the phone, 〇 and 零); -1 for anything else.</summary>
    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0', '〇' or '零' => 0, '一' or '幺' => 1, '二' or '两' => 2, '三' => 3, '四' => 4, '五' => 5, '六' => 6, '七' => 7, '八' => 8,
        '九' => 9, _ => char.IsDigit(c) ? (int)char.GetNumericValue(c) : -1,
    };

    private static bool IsDigit(char c) => DigitValue(c) >= 0;

    private static bool HasTenDigits(string text)
    {
        var digits = 0;
        for (var i = 0; i < text.Length && digits < 10; i++)
        {
            digits += IsDigit(text[i]) ? 1 : 0;
        }
        return digits == 10;
    }

    /// <summary>Characters that may sit between the digits of one number.</summary>
    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '(' or ')' or '/' or '_' or '\u00A0' or '\u3000' or '\uFF0D' or '\uFF0E' or '\u2010' or '\u2011'
            or '\u2012' or '\u2013' or '\u2014' or '\uFF08' or '\uFF09' or '\t'
        || IsInvisible(c);

    /// <summary>Control characters, invisible formatting characters (zero-width spaces, joiners, direction
    /// marks) and line or paragraph separators.</summary>
    public static bool IsInvisible(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
