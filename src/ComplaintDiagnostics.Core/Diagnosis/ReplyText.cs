using System.Globalization;
using System.Runtime.CompilerServices;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>Fills a reply text's deadline placeholders (<c>{contactBy}</c>, <c>{onSiteBy}</c>, <c>{resolveBy}</c>) with
/// this answer's deadline in the request's offset: <c>HH:mm</c> on the day of receipt, with its date otherwise
/// (zh-CN <c>11月29日 09:45</c>, en <c>29 Nov 09:45</c>); a deadline the answer does not have reads as the rule set's
/// "as soon as possible" words. The compiler has refused any other placeholder.</summary>
public static class ReplyText
{
    public static string Render(string text, Deadlines deadlines, DateTimeOffset receivedAt, string language, IReadOnlyDictionary<string, string> asSoonAsPossible)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(deadlines);
        ArgumentNullException.ThrowIfNull(asSoonAsPossible);
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }
        // Built on the stack (a pooled array past 256 characters): a reply is rendered on every answer.
        var result = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        var rest = text.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0 && rest[open..].IndexOf('}') is var length and >= 0)
        {
            result.AppendFormatted(rest[..open]);
            var name = rest.Slice(open + 1, length - 1);
            (bool Known, DateTimeOffset? At) deadline = name switch
            {
                "contactBy" => (true, deadlines.ContactBy),
                "onSiteBy" => (true, deadlines.OnSiteBy),
                "resolveBy" => (true, deadlines.ResolveBy),
                _ => (false, null),
            };
            if (deadline.At is { } at)
            {
                Format(ref result, at, receivedAt, language);
            }
            else
            {
                result.AppendFormatted(deadline.Known ? Rules.RuleSet.TextIn(asSoonAsPossible, language) : rest.Slice(open, length + 1));
            }
            rest = rest[(open + length + 1)..];
        }
        result.AppendFormatted(rest);
        return result.ToStringAndClear();
    }

    private static void Format(ref DefaultInterpolatedStringHandler result, DateTimeOffset deadline, DateTimeOffset receivedAt, string language)
    {
        var local = deadline.ToOffset(receivedAt.Offset);
        if (local.Date != receivedAt.Date)
        {
            if (language.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
            {
                result.AppendFormatted(local.Month);
                result.AppendLiteral("月");
                result.AppendFormatted(local.Day);
                result.AppendLiteral("日 ");
            }
            else
            {
                result.AppendFormatted(local, "d MMM");
                result.AppendLiteral(" ");
            }
        }
        result.AppendFormatted(local, "HH:mm");
    }
}
