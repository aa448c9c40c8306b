using System.Text;

namespace ComplaintDiagnostics.Contracts;

/// <summary>How <see cref="Privacy.MaskNumbers"/> reads a number out of free text.</summary>
public static partial class Privacy
{
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

        public int DigitCount => _digits.Length;

        /// <summary>Chinese numerals and digits in one span ("0001一直", "第一 138…"): only a mobile number is looked for in
        /// it, so a word such as 一直 never completes an ID number out of a ticket id.</summary>
        private bool Mixed => _numerals > 0 && _numerals < _digits.Length;

        private int _numerals;

        private void Add(char c, int index)
        {
            _digits.Append(c == 'X' ? 'X' : (char)('0' + DigitValue(c)));
            _numerals += c != 'X' && !char.IsDigit(c) ? 1 : 0;
            CharIndex.Add(index);
        }

        /// <summary>The personal numbers in this span, left to right, as (first digit, end digit, masked text).
        /// Mobile numbers are found first, so that an id built around one ('10010-13812345678-01') masks the
        /// number, not an 18-digit "ID number" made of the whole id.</summary>
        public IEnumerable<(int Start, int End, string Replacement)> Matches()
        {
            var digits = _digits.ToString();
            var mobiles = Scan(digits, 0, digits.Length, MatchMobile).ToList();
            if (Mixed)
            {
                return mobiles;
            }
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
