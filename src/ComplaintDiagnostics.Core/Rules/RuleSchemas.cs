using System.Collections.Frozen;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>The JSON Schemas of the rule files (rules/schema, built into this assembly): what editors use
/// to validate and complete as NOC staff type, and a first check in lint.</summary>
public static class RuleSchemas
{
    private static readonly FrozenDictionary<string, string> Texts = typeof(RuleSchemas).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("Schemas.", StringComparison.Ordinal))
        .ToFrozenDictionary(n => n["Schemas.".Length..], Read, StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, JsonSchema>> Parsed = new(() => Texts.ToFrozenDictionary(
        kv => kv.Key, kv => JsonSchema.FromJsonAsync(kv.Value).GetAwaiter().GetResult(), StringComparer.Ordinal));

    /// <summary>Schema file names, e.g. <c>workflow.schema.json</c>.</summary>
    public static IEnumerable<string> Names => Texts.Keys.Order(StringComparer.Ordinal);

    public static string? Text(string name) => Texts.GetValueOrDefault(name);

    /// <summary>The schema a rules file should follow, by its path relative to the rules folder.</summary>
    public static string? For(string file) => file switch
    {
        RuleSources.ManifestFile => "ruleset.schema.json",
        RuleSources.CausesFile => "causes.schema.json",
        RuleSources.RepliesFile => "replies.schema.json",
        RuleSources.ActionsFile => "actions.schema.json",
        RuleSources.NotifyFile => "notify.schema.json",
        RuleSources.TicketMappingFile => "tmf621.schema.json",
        _ when file.StartsWith(RuleSources.WorkflowsFolder, StringComparison.Ordinal) => "workflow.schema.json",
        _ when file.StartsWith("tests/", StringComparison.Ordinal) => "scenarios.schema.json",
        _ => null,
    };

    /// <summary>Schema violations of one file, located; a file that is not JSON yields nothing here
    /// (the compiler reports its syntax error).</summary>
    public static IEnumerable<RuleProblem> Validate(string file, string text) =>
        For(file) is not null && ParseOrNull(text) is { } token ? Validate(file, token) : [];

    /// <summary>Only the keys the file's schema does not allow, located: for a reader that checks every value itself
    /// but, as the contract's reader does, passes over a key it does not know (a scenario file, where such a key is a
    /// typo that makes a scenario check less than it says).</summary>
    public static IEnumerable<RuleProblem> UnknownKeys(string file, string text) =>
        For(file) is not null && ParseOrNull(text) is { } token
            ? Findings(file, token, e => e.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed)
            : [];

    /// <summary>Schema violations of one file's parsed JSON, located.</summary>
    public static IEnumerable<RuleProblem> Validate(string file, Newtonsoft.Json.Linq.JToken token) => Findings(file, token, _ => true);

    private static IEnumerable<RuleProblem> Findings(string file, Newtonsoft.Json.Linq.JToken token, Func<ValidationError, bool> keep)
    {
        if (For(file) is not { } name)
        {
            return [];
        }
        return Flatten(Parsed.Value[name].Validate(token)).Where(keep).Select(e => new RuleProblem(
            file, e.HasLineInfo ? e.LineNumber : null, e.HasLineInfo ? e.LinePosition : null, RuleNameAt(e.Token),
            $"schema {name}: {Describe(e)}"));
    }

    /// <summary>The text parsed as the compiler parses it (comments allowed, line info kept; not NJsonSchema's string
    /// overload, which takes a leading comment for the document), or null when it is not JSON: the reader of the
    /// file reports that.</summary>
    private static Newtonsoft.Json.Linq.JToken? ParseOrNull(string text)
    {
        try
        {
            return RuleSources.ParseJson(text);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e switch
        {
            ChildSchemaValidationError { Kind: ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf } alternatives
                when alternatives.Errors.Count > 1 => Nearest(alternatives),
            ChildSchemaValidationError child when child.Errors.Count > 0 => Flatten(child.Errors.SelectMany(c => c.Value)),
            _ => [e],
        });

    /// <summary>For a value that is none of the forms the schema allows, the findings of the form it comes nearest
    /// (the fewest findings; the first form on a tie), not every form's: a template with "customer" misspelt is a
    /// two-reader template with a typo, not also an older one-text-per-language template whose "workOrder" should be
    /// text. A value that fits more than one form of a oneOf has no nearer form: the finding is the oneOf's own.</summary>
    private static List<ValidationError> Nearest(ChildSchemaValidationError alternatives) =>
        alternatives.Errors.Values.Select(form => Flatten(form).ToList()).MinBy(findings => findings.Count) is { Count: > 0 } nearest
            ? nearest
            : [alternatives];

    private static string Describe(ValidationError error) => error.Kind switch
    {
        ValidationErrorKind.NoAdditionalPropertiesAllowed => $"\"{error.Property}\" is not an allowed key here"
            + (DidYouMean.Closest(error.Property ?? "", error.Schema?.ActualSchema.ActualProperties.Keys ?? []) is { } close ? $"; did you mean \"{close}\"?" : ""),
        ValidationErrorKind.PropertyRequired => $"\"{error.Property}\" is required",
        ValidationErrorKind.NotInEnumeration => NotAllowed(error),
        ValidationErrorKind.StringExpected => $"\"{Name(error)}\" must be text (a JSON string)",
        ValidationErrorKind.BooleanExpected => $"\"{Name(error)}\" must be true or false",
        ValidationErrorKind.IntegerExpected => $"\"{Name(error)}\" must be a whole number",
        ValidationErrorKind.NumberExpected => $"\"{Name(error)}\" must be a number",
        ValidationErrorKind.ObjectExpected => $"\"{Name(error)}\" must be an object {{ ... }}",
        ValidationErrorKind.ArrayExpected => $"\"{Name(error)}\" must be a list [ ... ]",
        ValidationErrorKind.NullExpected => $"\"{Name(error)}\" must be null",
        ValidationErrorKind.StringTooShort => $"\"{Name(error)}\" must not be empty",
        ValidationErrorKind.StringTooLong => $"\"{Name(error)}\" is too long (at most {error.Schema?.MaxLength} characters)",
        ValidationErrorKind.PatternMismatch => $"'{Value(error)}' is not the form \"{Name(error)}\" takes (the pattern {error.Schema?.Pattern})",
        ValidationErrorKind.TooFewItems => $"\"{Name(error)}\" must list at least {error.Schema?.MinItems} item(s)",
        ValidationErrorKind.TooManyItems => $"\"{Name(error)}\" may list at most {error.Schema?.MaxItems} item(s)",
        ValidationErrorKind.ItemsNotUnique => $"\"{Name(error)}\" names an item more than once; name each once",
        ValidationErrorKind.TooFewProperties => $"\"{Name(error)}\" must not be empty {{ }}",
        ValidationErrorKind.TooManyProperties => $"\"{Name(error)}\" has too many keys",
        ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
            $"{Value(error)} is out of range for \"{Name(error)}\" ({error.Schema?.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"} to {error.Schema?.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"})",
        ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotAllOf =>
            $"\"{Name(error)}\" is none of the forms it may take here",
        ValidationErrorKind.ExcludedSchemaValidates => $"\"{Name(error)}\" has a form that is not allowed here",
        _ => $"{error.Kind} at {error.Path}",
    };

    private static string? Value(ValidationError error) =>
        error.Token is Newtonsoft.Json.Linq.JValue { Value: { } raw } ? Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture)
            : error.Token?.ToString(Newtonsoft.Json.Formatting.None);

    /// <summary>The value, the values allowed, and the closest of them: "'frontdesk' is not an allowed value of "route"
    /// (frontDesk, noc, ...). Did you mean 'frontDesk'?".</summary>
    private static string NotAllowed(ValidationError error)
    {
        var allowed = error.Schema?.Enumeration.Where(v => v is not null).Select(v => v!.ToString()!).ToList() ?? [];
        var value = Value(error);
        return $"'{value}' is not an allowed value of \"{Name(error)}\" ({string.Join(", ", allowed)}).{(value is null ? "" : DidYouMean.Phrase(value, allowed))}";
    }

    /// <summary>The key a finding is about: its property, or for a value under a map of free keys (a template's
    /// texts) the last step of its path.</summary>
    private static string Name(ValidationError error) =>
        !string.IsNullOrEmpty(error.Property) ? error.Property
            : error.Path?.Split('.', '/', '#').LastOrDefault(step => step.Length > 0) ?? "the value";

    /// <summary>The name of the rule a token is in, when it is inside one (an object with a "RuleName").</summary>
    private static string? RuleNameAt(Newtonsoft.Json.Linq.JToken? token) =>
        token?.AncestorsAndSelf().OfType<Newtonsoft.Json.Linq.JObject>()
            .Select(o => o["RuleName"]).OfType<Newtonsoft.Json.Linq.JValue>().Select(v => v.Value as string).FirstOrDefault(n => !string.IsNullOrEmpty(n));

    private static string Read(string resource)
    {
        using var stream = typeof(RuleSchemas).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
