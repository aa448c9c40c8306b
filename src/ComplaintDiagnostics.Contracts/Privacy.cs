using System.Globalization;
using System.Text;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Personal numbers never appear in full in logs, traces, consoles or reports, and no request value can
/// forge a log line. <see cref="ForLog"/> is the one door a request value goes through before it is written
/// anywhere a person reads.
/// </summary>
public static class Privacy
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
            foreach (var (start, end, replacement) in span.Matches())
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

    /// <summary>One run of digits with separators between them, read from the text.</summary>
    private sealed class NumberSpan
    {
        private readonly StringBuilder _digits = new();
        private readonly List<int> _boundaries = [0];

        /// <summary>Where each digit (and an ID number's final X) is in the text.</summary>
        public List<int> CharIndex { get; } = [];

        /// <summary>The text index of a '+' right before the first digit (+86), if any.</summary>
        public int? Plus { get; private set; }

        /// <summary>The text index just after the span.</summary>
        public int End { get; private set; }

        public static NumberSpan Read(string text, int start)
        {
            var span = new NumberSpan();
            if (start > 0 && text[start - 1] == '+')
            {
                span.Plus = start - 1;
            }
            var i = start;
            while (i < text.Length)
            {
                var c = text[i];
                if (IsDigit(c))
                {
                    span.Add(c, i);
                    i++;
                    continue;
                }
                if (c is 'X' or 'x' && (i + 1 == text.Length || !char.IsLetterOrDigit(text[i + 1])))
                {
                    // The check character of an 18-character ID number.
                    span.Add('X', i);
                    i++;
                    break;
                }
                var next = i;
                while (next < text.Length && next - i < 3 && IsSeparator(text[next]))
                {
                    next++;
                }
                if (next == i || next == text.Length || !IsDigit(text[next]))
                {
                    break;
                }
                span._boundaries.Add(span._digits.Length);
                i = next;
            }
            span._boundaries.Add(span._digits.Length);
            span.End = i;
            return span;
        }

        private void Add(char c, int index)
        {
            _digits.Append(c == 'X' ? 'X' : (char)('0' + DigitValue(c)));
            CharIndex.Add(index);
        }

        /// <summary>The personal numbers in this span, left to right, as (first digit, end digit, masked text).
        /// Mobile numbers are found first, so that an id built around one ('10010-13812345678-01') masks the
        /// number, not an 18-digit "ID number" made of the whole id.</summary>
        public IEnumerable<(int Start, int End, string Replacement)> Matches()
        {
            var digits = _digits.ToString();
            var mobiles = Scan(digits, 0, digits.Length, MatchMobile).ToList();
            var others = new List<(int, int, string)>();
            var from = 0;
            foreach (var (start, end, _) in mobiles.Append((digits.Length, digits.Length, "")))
            {
                others.AddRange(Scan(digits, from, start, MatchOther));
                from = end;
            }
            return mobiles.Concat(others).OrderBy(m => m.Item1);
        }

        private static IEnumerable<(int Start, int End, string Replacement)> Scan(
            string digits, int from, int to, Func<string, int, int, (int Length, string Replacement)?> match)
        {
            var start = from;
            while (start < to)
            {
                if (match(digits, start, to) is { } found)
                {
                    yield return (start, start + found.Length, found.Replacement);
                    start += found.Length;
                }
                else
                {
                    start++;
                }
            }
        }

        private (int Length, string Replacement)? MatchMobile(string d, int start, int to)
        {
            foreach (var length in new[] { 15, 14, 13, 11 })
            {
                if (start + length <= to && Aligned(start, start + length) && !InsideIdNumber(start, start + length)
                    && d.Substring(start, length) is var s && IsDigits(s) && Mobile(s, out var core))
                {
                    var prefix = s[..(length - 11)];
                    return (length, (prefix.Length > 0 ? (Plus is not null && start == 0 ? "+" : "") + prefix + " " : "") + MaskMsisdn(core));
                }
            }
            return null;
        }

        private (int Length, string Replacement)? MatchOther(string d, int start, int to)
        {
            foreach (var length in new[] { 18, 15, 12, 11, 10 })
            {
                if (start + length > to || !Aligned(start, start + length))
                {
                    continue;
                }
                var s = d.Substring(start, length);
                if (length is 18 && IsDigits(s[..17]) && (char.IsAsciiDigit(s[17]) || s[17] == 'X'))
                {
                    return (length, new string('*', 14) + s[14..]);
                }
                if (!IsDigits(s))
                {
                    continue;
                }
                if (length is 15 && s[0] != '0')
                {
                    return (length, new string('*', 11) + s[11..]);
                }
                if (length is >= 10 and <= 12 && s[0] == '0' && s[1] != '0')
                {
                    // A landline: area code (3 or 4 digits, from 0) and 7 or 8 digits; keep the area code.
                    var area = s[1] is '1' or '2' ? 3 : 4;
                    return (length, s[..area] + new string('*', length - area - 4) + s[^4..]);
                }
            }
            // Any other unbroken run of 11 or more digits inside one group.
            var groupEnd = Math.Min(_boundaries.First(b => b > start), to);
            var groupStart = _boundaries.Last(b => b <= start);
            if (start == groupStart && groupEnd - groupStart >= 11 && IsDigits(d[groupStart..groupEnd]))
            {
                return (groupEnd - groupStart, MaskMsisdn(d[groupStart..groupEnd]));
            }
            return null;
        }

        /// <summary>Whether digits [start, end) lie strictly inside a group shaped like an ID number (15 or 18
        /// characters), whose birth date can look like a mobile number.</summary>
        private bool InsideIdNumber(int start, int end)
        {
            var groupStart = _boundaries.Last(b => b <= start);
            var groupEnd = _boundaries.First(b => b >= end);
            return (start, end) != (groupStart, groupEnd) && groupEnd - groupStart is 15 or 18;
        }

        /// <summary>A number either lies inside one group of digits, or starts and ends at group boundaries:
        /// '138-1234-5678' is one number, the '0-2026' in '10010-20261128-0001' is not.</summary>
        private bool Aligned(int start, int end) =>
            (_boundaries.Contains(start) && _boundaries.Contains(end))
            || !_boundaries.Any(b => b > start && b < end);

        /// <summary>A mainland mobile number (1, then 3 to 9, then nine digits), optionally after 86, 086 or 0086.</summary>
        private static bool Mobile(string s, out string core)
        {
            var offset = s.Length - 11;
            core = offset >= 0 ? s[offset..] : "";
            return offset >= 0 && (offset == 0 || s[..offset] is "86" or "086" or "0086")
                && core[0] == '1' && core[1] is >= '3' and <= '9';
        }

        private static bool IsDigits(string s) => s.All(char.IsAsciiDigit);
    }
}
