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
        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsAllowed(rune))
            {
                return $"the {kind} '{Shown(name)}' holds {Describe(rune)}, which a name may not hold; a name holds {Allowed}.";
            }
        }
        return null;
    }

    private static bool IsAllowed(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || rune.Value == ' ' || (rune.IsAscii && Punctuation.Contains((char)rune.Value, StringComparison.Ordinal))
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string Describe(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => $"U+{rune.Value:X4}, a control character",
        UnicodeCategory.Format => $"U+{rune.Value:X4}, an invisible formatting character",
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => $"U+{rune.Value:X4}, a line break",
        UnicodeCategory.SpaceSeparator => $"U+{rune.Value:X4}, a space other than the plain one",
        _ => $"'{rune}'",
    };

    /// <summary>The name as a finding quotes it: anything a name may not hold written as its code point.</summary>
    private static string Shown(string name)
    {
        var shown = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            shown.Append(IsAllowed(rune) || Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned)
                ? rune.ToString() : $"\\u{rune.Value:X4}");
        }
        return shown.ToString();
    }
}
