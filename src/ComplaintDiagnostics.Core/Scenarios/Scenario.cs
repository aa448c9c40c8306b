using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Files;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Scenarios;

/// <summary>A rule author's test case: a complaint and what the rules must answer. Every expectation is
/// optional; only those given are checked. A deadline given as null must be absent.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public required DiagnoseRequest Request { get; init; }
    public required ScenarioExpectation Expect { get; init; }

    /// <summary>For a follow-up scenario: the time to judge the ticket at. With <see cref="Progress"/>, the scenario
    /// runs POST /api/v1/follow-up's logic, and may expect <c>overdue</c>, <c>escalationLevel</c> and <c>notify</c>.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>For a follow-up scenario: what has happened on the ticket so far.</summary>
    public FollowUpProgress? Progress { get; init; }

    /// <summary>The file the scenario came from, relative to the rules folder.</summary>
    [JsonIgnore]
    public string File { get; init; } = "";
}

public sealed record ScenarioExpectation
{
    public DiagnosisStatus? Status { get; init; }
    public string? Cause { get; init; }
    public Route? Route { get; init; }
    public IReadOnlyList<string>? MissingFields { get; init; }
    public Priority? Priority { get; init; }
    /// <summary>The reply's template id.</summary>
    public string? Reply { get; init; }

    /// <summary>The reply's text in the default language, exactly.</summary>
    public string? ReplyText { get; init; }

    /// <summary>The reply's work-order text in the default language, exactly.</summary>
    public string? WorkOrderText { get; init; }

    public string? MatchedRule { get; init; }

    /// <summary>The action codes, in order.</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>When given actions are due, by code; null means "has no due time". The codes must be in the answer.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?>? ActionsDue { get; init; }

    /// <summary>Follow-up: the overdue deadlines, in order.</summary>
    public IReadOnlyList<string>? Overdue { get; init; }

    /// <summary>Follow-up: the escalation level.</summary>
    public int? EscalationLevel { get; init; }

    /// <summary>Follow-up: whom to notify (codes), in order.</summary>
    public IReadOnlyList<string>? Notify { get; init; }

    /// <summary>Expected deadlines by name (contactBy, onSiteBy, resolveBy); null means "must not be set".</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?>? Deadlines { get; init; }
}

/// <summary>Reads scenario files: <c>tests/*.json</c> under the rules folder, each <c>{ "scenarios": [ ... ] }</c>.</summary>
public static class ScenarioFiles
{
    public const string Folder = "tests/";

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Whether the folder reader below reads the file at <paramref name="path"/> (relative to the rules folder).</summary>
    public static bool IsScenarioFile(string path) => Rules.RuleSources.IsJsonFileIn(Folder, path);

    /// <summary>The scenario files under <paramref name="rulesFolder"/> by relative path (empty when there are none), read
    /// as the rule files are (<see cref="BoundedFolder"/>).</summary>
    /// <exception cref="IOException">An entry is refused (<see cref="FolderReadException"/>) or the folder is unreadable.</exception>
    public static Task<Dictionary<string, string>> ReadFolderAsync(string rulesFolder, ReadLimits? limits = null,
        CancellationToken cancellationToken = default) =>
        Directory.Exists(rulesFolder)
            ? BoundedFolder.ReadAsync(rulesFolder, [], [Folder], limits ?? ReadLimits.RuleFiles, cancellationToken)
            : Task.FromResult(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The same, for a command-line run.</summary>
    public static Dictionary<string, string> ReadFolder(string rulesFolder) => ReadFolderAsync(rulesFolder).GetAwaiter().GetResult();

    /// <summary>Parses scenario files; a file that cannot be read is reported, not thrown. Each scenario is read on its
    /// own, so that one wrong value (an unknown route, a scenario without its expectations) is reported by the scenario's
    /// name and the others still run.</summary>
    public static (List<Scenario> Scenarios, List<string> Errors) Parse(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scenarios = new List<Scenario>();
        var errors = new List<string>();
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            // A misspelt key, in an expectation or a request, was ignored, so the scenario passed while checking less
            // than it says: the schema (rules/schema/scenarios.schema.json) names each with its line. Everything else
            // about a scenario is checked below, per scenario, as the API checks a request.
            errors.AddRange(Rules.RuleSchemas.UnknownKeys(name, text).Select(p => p.ToString()));
            foreach (var (element, index) in Elements(name, text, errors).Select((e, i) => (e, i)))
            {
                var label = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("name", out var n)
                    && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } given ? $"'{given}'" : $"#{index + 1}";
                Scenario? scenario;
                try
                {
                    scenario = element.Deserialize<Scenario>(Options);
                }
                catch (JsonException ex)
                {
                    errors.Add($"{name}: scenario {label}: {Describe(ex)}");
                    continue;
                }
                // A scenario the service could not run as a request would be (no complaintType, a timestamp out of
                // range, a follow-up without receivedAt) is the file's error, said like the API's 400, never a throw.
                if (Invalid(scenario) is { } why)
                {
                    errors.Add($"{name}: scenario {label}: {why}");
                    continue;
                }
                scenarios.Add(scenario! with { File = name });
            }
        }
        return (scenarios, errors);
    }

    /// <summary>The entries of the file's "scenarios" list, or none when the file is not such a list (reported).</summary>
    private static List<JsonElement> Elements(string name, string text, List<string> errors)
    {
        try
        {
            // A property given twice inside a scenario is that scenario's error (the serializer refuses it, with its
            // path); at the top, "scenarios" twice would leave one list unread.
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Count(p => p.NameEquals("scenarios")) > 1)
            {
                errors.Add($"{name}: scenarios: {ContractJson.GivenTwice}");
                return [];
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("scenarios", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                return [.. list.EnumerateArray().Select(e => e.Clone())];
            }
            errors.Add($"{name}: a scenario file is {{ \"scenarios\": [ ... ] }}, a list of scenarios each with \"name\", \"request\" and \"expect\".");
        }
        catch (JsonException ex)
        {
            errors.Add($"{name}{(ex.LineNumber is { } line ? $":{line + 1}" : "")}: {Describe(ex)}");
        }
        return [];
    }

    /// <summary>A read error in words, after the path it is at (<c>expect.route: ...</c>), as the API's 400s say it.</summary>
    private static string Describe(JsonException ex) => ContractErrors.Describe(ex) is var (path, message) && path != "$" ? $"{path}: {message}" : message;

    private static string? Invalid(Scenario? scenario)
    {
        if (scenario is null)
        {
            return "must be an object with \"name\", \"request\" and \"expect\".";
        }
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(scenario.Name))
        {
            missing.Add("\"name\"");
        }
        if (scenario.Request is null)
        {
            missing.Add("\"request\"");
        }
        if (scenario.Expect is null)
        {
            missing.Add("\"expect\"");
        }
        if (missing.Count > 0 || scenario.Request is not { } request)
        {
            return $"needs {string.Join(" and ", missing)}.";
        }
        var errors = scenario.Now is not null || scenario.Progress is not null
            ? FollowUpRequestValidation.Validate(new FollowUpRequest { Complaint = request, Now = scenario.Now, Progress = scenario.Progress })
            : DiagnoseRequestValidation.Validate(request);
        return errors.Count == 0 ? null : string.Join("; ", errors.Select(e => $"{ScenarioPath(e.Key)}: {string.Join(" ", e.Value)}"));
    }

    /// <summary>A follow-up's request path as the scenario spells it (its complaint is the scenario's "request").</summary>
    private static string ScenarioPath(string path) =>
        path.StartsWith("complaint.", StringComparison.Ordinal) ? "request." + path["complaint.".Length..]
        : path is "now" or "complaint" || path.StartsWith("progress", StringComparison.Ordinal) ? path : "request." + path;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = ContractJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowTrailingCommas = true;
        options.RespectRequiredConstructorParameters = true;
        // A scenario without its name, request or expectations is reported by Invalid, per scenario and in words; the
        // serializer's own check for C# 'required' members refused the whole file, naming a .NET type.
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            if (info.Type == typeof(Scenario))
            {
                foreach (var property in info.Properties)
                {
                    property.IsRequired = false;
                }
            }
        });
        return options;
    }
}
