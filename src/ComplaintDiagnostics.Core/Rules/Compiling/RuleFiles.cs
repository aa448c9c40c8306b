using ComplaintDiagnostics.Contracts;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>
/// The first stage: the rule files as JSON with line and column on every token, and the problems found so far.
/// The reading stages share it for the small checks every file needs (a required key, a misspelt key, one text
/// per language, a number of minutes), so each problem is located the same way.
/// </summary>
internal sealed class RuleFiles(RuleSources sources)
{
    // Every file parsed once, here, for the schema stage and the readers alike; never written afterwards, so the
    // stages may read it from several threads.
    private readonly Dictionary<string, (JToken? Token, JsonReaderException? Error)> _parsed =
        sources.Files.ToDictionary(f => f.Key, f => ParseOrError(f.Value), StringComparer.Ordinal);

    public RuleSources Sources => sources;

    public List<RuleProblem> Problems { get; } = [];

    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    public void Add(string file, JToken? at, string? rule, string message) =>
        Problems.Add(new RuleProblem(file, LineOf(at), ColumnOf(at), rule, message));

    /// <summary>Reports a missing text object once (a misspelt key is reported as unknown beside it) and gives no texts,
    /// rather than reading the object around it as the texts.</summary>
    public Dictionary<string, string> NoTexts(string file, JToken owner, string id, string message)
    {
        Add(file, owner, id, message);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Flags keys a reader would silently ignore: a misspelt key is an edit that does nothing.</summary>
    public void Keys(string file, JObject obj, string? rule, string[] known)
    {
        foreach (var property in obj.Properties().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            var close = DidYouMean.Closest(property.Name, known.Where(k => k != "$schema"));
            Add(file, property, rule, close is null
                ? $"unknown key \"{property.Name}\"; expected one of: {string.Join(", ", known.Where(k => k != "$schema"))}."
                : $"unknown key \"{property.Name}\"; did you mean \"{close}\"?");
        }
    }

    /// <summary>A catalogue's entries under <paramref name="key"/>, or null when they are missing (reported). The caller
    /// then has no catalogue rather than an empty one, so that a misspelt key is the one finding, not also every
    /// code, cause or reply a rule names "missing from it".</summary>
    public JObject? Entries(string file, JObject root, string key) => Require<JObject>(file, root, key, null);

    public T? Require<T>(string file, JObject owner, string key, string? rule) where T : JToken
    {
        var token = owner[key];
        if (token is T typed && (typed is not JValue value || value.Type == JTokenType.String))
        {
            return typed;
        }
        Add(file, token ?? owner, rule, token is null ? $"\"{key}\" is required." : $"\"{key}\" has the wrong type.");
        return null;
    }

    /// <summary>The file's JSON, reporting a missing file or a syntax error as a problem.</summary>
    public JToken? Parse(string file)
    {
        if (!sources.Files.ContainsKey(file))
        {
            Add(file, null, null, "the file is missing.");
            return null;
        }
        NotUtf8(file, sources.Files[file]);
        var (token, error) = Parsed(file);
        if (error is not null)
        {
            var message = error.Message;
            var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
            // An empty file (a truncated save, a half-written ConfigMap) is reported by the reader as "Error reading
            // JToken from JsonReader." at line 0: said plainly, and at a line an editor can go to (lines count from 1).
            var text = message == "Error reading JToken from JsonReader."
                ? "the file holds no JSON value (it is empty, or only white space and comments)."
                : $"JSON syntax: {message}{SyntaxHint(message)}";
            Problems.Add(new RuleProblem(file, Math.Max(1, error.LineNumber), Math.Max(1, error.LinePosition), null, text));
        }
        return token;
    }

    /// <summary>What the parser's words most often mean in a hand-edited file, as a question after them.</summary>
    private static string SyntaxHint(string message) =>
        message.StartsWith("After parsing a value an unexpected character was encountered", StringComparison.Ordinal)
            ? " (a comma missing after the previous value?)"
        : message.StartsWith("Invalid property identifier character", StringComparison.Ordinal)
            || message.StartsWith("Unexpected character encountered while parsing value: }", StringComparison.Ordinal)
            || message.StartsWith("Unexpected character encountered while parsing value: ]", StringComparison.Ordinal)
            ? " (a comma too many, after the last item?)"
        : message.StartsWith("Unterminated string", StringComparison.Ordinal) ? " (a quote not closed?)"
        : message.StartsWith("Unexpected end", StringComparison.Ordinal) ? " (a brace or bracket not closed?)"
        : message.StartsWith("Additional text found after the end", StringComparison.Ordinal) ? " (a closing brace or bracket too many?)"
        : "";

    /// <summary>Reports a file that was not saved as UTF-8. Read as UTF-8, a file saved as GBK (a Chinese Windows editor's
    /// "ANSI") still parses, its Chinese turned to U+FFFD, and replies would reach customers garbled; so the first such
    /// character is a problem at its line, whatever brought the text (the folder, a proposed edit, Git).</summary>
    private void NotUtf8(string file, string text)
    {
        var at = text.IndexOf('\uFFFD', StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }
        var line = 1 + text.AsSpan(0, at).Count('\n');
        var column = at - text.LastIndexOf('\n', Math.Max(0, at - 1));
        Problems.Add(new RuleProblem(file, line, column, null,
            "the file is not UTF-8 (saved as GBK or another \"ANSI\" code page?): its Chinese text would reach customers garbled. "
            + "Save it as UTF-8."));
    }

    /// <summary>The file's JSON or its syntax error (<see cref="RuleSources.ParseJson"/>); nothing reported.</summary>
    public (JToken? Token, JsonReaderException? Error) Parsed(string file) => _parsed[file];

    private static (JToken?, JsonReaderException?) ParseOrError(string text)
    {
        try
        {
            return (RuleSources.ParseJson(text), null);
        }
        catch (JsonReaderException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>The items of an optional list: none when it is absent; a problem, and none, when it is not a list.</summary>
    public IEnumerable<JToken> Items(string file, JToken? token, string? owner, string notAList)
    {
        if (token is null or JArray)
        {
            return token as JArray ?? [];
        }
        Add(file, token, owner, notAList);
        return [];
    }

    public bool HasProblem(string file) => Problems.Any(p => p.File == file);

    public List<string>? Strings(string file, JObject owner, string key, bool required)
    {
        var token = owner[key];
        if (token is null)
        {
            if (required)
            {
                Add(file, owner, null, $"\"{key}\" is required.");
            }
            return null;
        }
        if (token is JArray array && array.All(t => t.Type == JTokenType.String))
        {
            return [.. array.Select(t => (string)t!)];
        }
        Add(file, token, null, $"\"{key}\" must be a list of names.");
        return null;
    }

    public Dictionary<string, string> Texts(string file, JToken token, string owner, IReadOnlyList<string> languages)
    {
        var texts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (token is not JObject obj)
        {
            Add(file, token, owner, $"expected one text per language: {{ {string.Join(", ", languages.Select(l => $"\"{l}\": \"...\""))} }}.");
            return texts;
        }
        foreach (var property in obj.Properties())
        {
            // Languages match case-insensitively ("zh-cn" is "zh-CN"), so "en" beside "EN" would serve whichever came last.
            if (obj.Properties().FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) is { } first
                && first != property)
            {
                Add(file, property, owner, $"the '{property.Name}' text is given twice (also as '{first.Name}'): give each language once.");
                continue;
            }
            // Without a manifest (refused, and reported) there are no languages to hold a text against.
            if (languages.Count > 0 && !languages.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                // Harmless to customers (no answer is in that language), but most likely a language not yet added to the
                // manifest, or a misspelt one whose text then is reported missing too.
                Problems.Add(new RuleProblem(file, LineOf(property), ColumnOf(property), owner,
                    $"the '{property.Name}' text is in a language this rule set does not serve ({RuleSources.ManifestFile} \"languages\": "
                    + $"{string.Join(", ", languages)}): it is never shown.{DidYouMean.Phrase(property.Name, languages)}", ProblemSeverity.Warning));
            }
            if (property.Value.Type == JTokenType.String && !string.IsNullOrWhiteSpace((string?)property.Value))
            {
                texts[property.Name] = (string)property.Value!;
            }
            else
            {
                Add(file, property, owner, $"the '{property.Name}' text must be a non-empty string.");
            }
        }
        foreach (var language in languages.Where(l => !texts.ContainsKey(l) && obj[l] is null))
        {
            Add(file, obj, owner, $"the '{language}' text is missing.");
        }
        return texts;
    }

    public TEnum? EnumValue<TEnum>(string file, string rule, JToken token) where TEnum : struct, Enum
    {
        if (token.Type == JTokenType.String && ContractJson.TryParseWire((string?)token, out TEnum value))
        {
            return value;
        }
        var allowed = ContractJson.WireNames<TEnum>();
        Add(file, token, rule, $"'{token}' is not allowed here.{DidYouMean.Phrase(token.ToString(), allowed)} Use one of: {string.Join(", ", allowed)}.");
        return null;
    }

    public TEnum? Missing<TEnum>(string file, JObject owner, string rule, string key) where TEnum : struct, Enum
    {
        Add(file, owner, rule, $"\"{key}\" is required ({string.Join(", ", ContractJson.WireNames<TEnum>())}).");
        return null;
    }

    public int? Minutes(string file, string rule, JToken? token)
    {
        if (token is null)
        {
            return null;
        }
        if (token.Type == JTokenType.Integer && (long)token >= 0 && (long)token <= 60 * 24 * 366)
        {
            return (int)token;
        }
        Add(file, token, rule, $"'{token}' is not a number of minutes (a whole number from 0 to {60 * 24 * 366}).");
        return null;
    }

    public static int? LineOf(JToken? token) =>
        token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    public static int? ColumnOf(JToken? token) =>
        token is IJsonLineInfo info && info.HasLineInfo() ? info.LinePosition : null;
}
