using System.Globalization;
using System.Text;
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
        var result = new StringBuilder(text.Length + 16);
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (close < 0)
            {
                break;
            }
            result.Append(text, at, open - at);
            var name = text[(open + 1)..close];
            DateTimeOffset? deadline = name switch
            {
                "contactBy" => deadlines.ContactBy,
                "onSiteBy" => deadlines.OnSiteBy,
                "resolveBy" => deadlines.ResolveBy,
                _ => null,
            };
            result.Append(name is "contactBy" or "onSiteBy" or "resolveBy"
                ? deadline is { } d ? Format(d, receivedAt, language) : Rules.RuleSet.TextIn(asSoonAsPossible, language)
                : text[open..(close + 1)]);
            at = close + 1;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    private static string Format(DateTimeOffset deadline, DateTimeOffset receivedAt, string language)
    {
        var local = deadline.ToOffset(receivedAt.Offset);
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (local.Date == receivedAt.Date)
        {
            return time;
        }
        return language.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
            ? $"{local.Month}月{local.Day}日 {time}"
            : local.ToString("d MMM", CultureInfo.InvariantCulture) + " " + time;
    }
}
