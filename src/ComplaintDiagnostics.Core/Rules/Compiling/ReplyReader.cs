using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>The reply templates: for each, the text read to the customer and the text written back on the work
/// order, per language; the deadline placeholders each uses; the "as soon as possible" phrase per language.</summary>
internal sealed record ReplyCatalogue(
    Dictionary<string, IReadOnlyDictionary<string, string>> Customer,
    Dictionary<string, IReadOnlyDictionary<string, string>> WorkOrder,
    IReadOnlyDictionary<string, string> AsSoonAsPossible,
    Dictionary<string, HashSet<DeadlineKind>> Placeholders);

/// <summary>Stage: reads <c>replies.json</c>. A template is <c>{ "customer": { lang: text }, "workOrder": { lang: text } }</c>;
/// the older form, one text per language, is read as the customer's text and used for both readers, with a
/// warning. A text may name a deadline of its answer as <c>{contactBy}</c>, <c>{onSiteBy}</c> or <c>{resolveBy}</c>;
/// any other placeholder is refused.</summary>
internal sealed partial class ReplyReader(RuleFiles files)
{
    private const string File = RuleSources.RepliesFile;

    public ReplyCatalogue? Read(IReadOnlyList<string> languages)
    {
        if (files.Parse(File) is not JObject root)
        {
            return null;
        }
        files.Keys(File, root, null, ["$schema", "templates", "asSoonAsPossible"]);
        var asSoonAsPossible = root["asSoonAsPossible"] is { } asap ? files.Texts(File, asap, "asSoonAsPossible", languages) : new Dictionary<string, string>();
        if (files.Entries(File, root, "templates") is not { } templates)
        {
            return null;
        }
        var catalogue = new ReplyCatalogue(new(StringComparer.Ordinal), new(StringComparer.Ordinal), asSoonAsPossible, new(StringComparer.Ordinal));
        foreach (var template in templates.Properties())
        {
            ReadTemplate(template, languages, catalogue);
        }
        if (catalogue.Placeholders.Values.Any(p => p.Count > 0) && root["asSoonAsPossible"] is null)
        {
            files.Add(File, root, null, "templates use deadline placeholders, so \"asSoonAsPossible\" must give the words to use when an answer "
                + $"has no such deadline: {{ {string.Join(", ", languages.Select(l => $"\"{l}\": \"...\""))} }}.");
        }
        return catalogue;
    }

    private void ReadTemplate(JProperty template, IReadOnlyList<string> languages, ReplyCatalogue catalogue)
    {
        var id = template.Name;
        if (!RuleNames.Check(files, File, template, "reply id", id))
        {
            return;
        }
        if (template.Value is JObject two && (two["customer"] is not null || two["workOrder"] is not null))
        {
            files.Keys(File, two, id, ["customer", "workOrder"]);
            catalogue.Customer[id] = two["customer"] is { } customer
                ? Texts(customer, id, "customer", languages, catalogue)
                : files.NoTexts(File, two, id, "\"customer\" is missing: the text read to the customer, per language.");
            catalogue.WorkOrder[id] = two["workOrder"] is { } workOrder
                ? Texts(workOrder, id, "workOrder", languages, catalogue)
                : Missing(two, id, catalogue.Customer[id]);
            return;
        }
        catalogue.Customer[id] = Texts(template.Value, id, "customer", languages, catalogue);
        catalogue.WorkOrder[id] = catalogue.Customer[id];
        files.Problems.Add(new RuleProblem(File, RuleFiles.LineOf(template), RuleFiles.ColumnOf(template), id,
            "one text per reader is expected: { \"customer\": { ... }, \"workOrder\": { ... } }; the customer's text is used on the work order too.",
            ProblemSeverity.Warning));
    }

    private IReadOnlyDictionary<string, string> Missing(JObject template, string id, IReadOnlyDictionary<string, string> customer)
    {
        files.Add(File, template, id, "\"workOrder\" is missing: the text written back on the work order, per language.");
        return customer;
    }

    private Dictionary<string, string> Texts(JToken token, string id, string reader, IReadOnlyList<string> languages, ReplyCatalogue catalogue)
    {
        var texts = files.Texts(File, token, id, languages);
        var used = catalogue.Placeholders.TryGetValue(id, out var set) ? set : catalogue.Placeholders[id] = [];
        foreach (var (language, text) in texts)
        {
            var placeholders = Placeholder().Matches(text);
            foreach (Match match in placeholders)
            {
                var name = match.Groups[1].Value;
                if (name is "contactBy" or "onSiteBy" or "resolveBy")
                {
                    used.Add(Enum.Parse<DeadlineKind>(name, ignoreCase: true));
                }
                else
                {
                    var at = (token as JObject)?[language] ?? token;
                    files.Add(File, at, id, $"the {reader} text ({language}) has an unknown placeholder '{match.Value}'; "
                        + $"a text may use {{contactBy}}, {{onSiteBy}} or {{resolveBy}}.{DidYouMean.Phrase(name, ["contactBy", "onSiteBy", "resolveBy"])}");
                }
            }
            // A brace outside any {...} ("{contactBy 前联系") is a placeholder left open or closed twice: the customer
            // would hear it as written.
            if (StrayBrace(text, placeholders) is var stray and >= 0)
            {
                files.Add(File, (token as JObject)?[language] ?? token, id, $"the {reader} text ({language}) has a '{text[stray]}' that "
                    + $"{(text[stray] == '{' ? "opens" : "closes")} no placeholder (near '{text[stray..Math.Min(text.Length, stray + 12)]}'); "
                    + "a placeholder is written whole, {contactBy}, {onSiteBy} or {resolveBy}, and a text has no other braces.");
            }
        }
        return texts;
    }

    /// <summary>Where the first brace of <paramref name="text"/> outside its <paramref name="placeholders"/> stands, or -1.</summary>
    private static int StrayBrace(string text, MatchCollection placeholders)
    {
        var from = 0;
        foreach (Match match in placeholders)
        {
            if (text.AsSpan(from, match.Index - from).IndexOfAny('{', '}') is var before and >= 0)
            {
                return from + before;
            }
            from = match.Index + match.Length;
        }
        return text.AsSpan(from).IndexOfAny('{', '}') is var after and >= 0 ? from + after : -1;
    }

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();
}
