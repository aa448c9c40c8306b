using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>
/// The characters a name written by a rule author may hold: workflow and rule names, reply template ids and cause
/// groups (cause, action and notify codes have narrower patterns in their schemas). A name reaches logs, traces,
/// every answer and the pages, so it is held at load to text that cannot forge a log line, move a terminal's cursor,
/// reorder what a reader sees or be mistaken for markup: letters, marks and digits of any script, spaces inside the
/// name, and <c>_ - . : / ( ) #</c>. Such a name is exactly what <see cref="Contracts.Privacy.Clean(string?)"/>, the door
/// request values go through before a log, leaves as it is, so the logs write it as it stands.
/// </summary>
internal static class RuleNames
{
    public const int MaxLength = 128;

    /// <summary>The punctuation a name may hold, besides letters, marks, digits and inner spaces.</summary>
    public const string Punctuation = "_-.:/()#";

    public const string Allowed = "letters and digits (any script), spaces inside the name, and _ - . : / ( ) #";

    /// <summary>A cause code: <c>NETWORK_ALARM</c> (causes.schema.json).</summary>
    public static readonly System.Text.RegularExpressions.Regex CauseCode = new("^[A-Z][A-Z0-9_]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>An action or notify code: <c>notifySpecialists</c> (actions.schema.json, notify.schema.json).</summary>
    public static readonly System.Text.RegularExpressions.Regex CamelCode = new("^[a-z][A-Za-z0-9]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Adds a finding when a catalogue's code is not of its pattern (the schemas say so, and are not enough:
    /// NJsonSchema does not check <c>propertyNames</c>); false then.</summary>
    public static bool CheckCode(RuleFiles files, string file, JToken? at, string kind, string code, System.Text.RegularExpressions.Regex pattern)
    {
        if (pattern.IsMatch(code))
        {
            return true;
        }
        files.Add(file, at, null, $"the {kind} '{Shown(code)}' is not of the form {pattern} ({(pattern == CauseCode ? "e.g. NETWORK_ALARM" : "e.g. notifySpecialists")}).");
        return false;
    }

    /// <summary>Adds a finding when <paramref name="name"/> holds what a name may not; false then.</summary>
    public static bool Check(RuleFiles files, string file, JToken? at, string kind, string name)
    {
        if (Problem(kind, name) is not { } problem)
        {
            return true;
        }
        files.Add(file, at, null, problem);
        return false;
    }

    /// <summary>What is wrong with <paramref name="name"/> as a <paramref name="kind"/> (e.g. "rule name"), or null.</summary>
    public static string? Problem(string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > MaxLength)
        {
            return $"the {kind} '{Shown(name[..40])}…' is {name.Length} characters long; a name is at most {MaxLength}.";
        }
        if (name.Length > 0 && (name[0] == ' ' || name[^1] == ' '))
        {
            return $"the {kind} '{Shown(name)}' begins or ends with a space.";
        }
        var marks = 0;
        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsAllowed(rune))
            {
                return $"the {kind} '{Shown(name)}' holds {Describe(rune)}, which a name may not hold; a name holds {Allowed}.";
            }
            // A mark belongs to the letter before it: none at the start, and no pile of them (a name that looks like another).
            marks = IsMark(rune) ? marks + 1 : 0;
            if ((first && marks > 0) || marks > MaxMarks)
            {
                return $"the {kind} '{Shown(name)}' holds combining marks {(first ? "at its start" : $"more than {MaxMarks} in a row")}; a mark belongs to the letter before it.";
            }
            first = false;
        }
        return null;
    }

    /// <summary>The most combining marks after one letter (Vietnamese needs two, a few scripts three).</summary>
    private const int MaxMarks = 3;

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsAllowed(Rune rune) =>
        !IsInvisible(rune)
        && (Rune.IsLetterOrDigit(rune) || rune.Value == ' ' || (rune.IsAscii && Punctuation.Contains((char)rune.Value, StringComparison.Ordinal)) || IsMark(rune));

    /// <summary>Letters and marks that show nothing (Unicode's default-ignorable code points, the Hangul fillers): a name
    /// of them looks blank, or like another name.</summary>
    private static bool IsInvisible(Rune rune) => rune.Value is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F)
        or 0x3164 or 0xFFA0 or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0000 and <= 0xE0FFF) or (>= 0x2060 and <= 0x206F) or 0x00AD or 0x061C;

    private static string Describe(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => $"U+{rune.Value:X4}, a control character",
        UnicodeCategory.Format => $"U+{rune.Value:X4}, an invisible formatting character",
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => $"U+{rune.Value:X4}, a line break",
        UnicodeCategory.SpaceSeparator => $"U+{rune.Value:X4}, a space other than the plain one",
        _ when IsInvisible(rune) => $"U+{rune.Value:X4}, a character that shows nothing",
        _ => $"'{rune}'",
    };

    /// <summary>The name as a finding quotes it: anything a name may not hold written as its code point.</summary>
    private static string Shown(string name)
    {
        var shown = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            shown.Append(!IsInvisible(rune) && !IsMark(rune) && (IsAllowed(rune) || Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned))
                ? rune.ToString() : $"\\u{rune.Value:X4}");
        }
        return shown.ToString();
    }
}
