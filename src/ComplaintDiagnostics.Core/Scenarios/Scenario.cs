using System.Text.Json;
using System.Text.Json.Serialization;
using ComplaintDiagnostics.Contracts;

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

    /// <summary>The scenario files under <paramref name="rulesFolder"/> by relative path (empty when there are none).</summary>
    public static Dictionary<string, string> ReadFolder(string rulesFolder)
    {
        var folder = Path.Combine(rulesFolder, Folder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
                .ToDictionary(f => Folder + Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : [];
    }

    /// <summary>Parses scenario files; a file that cannot be read is reported, not thrown.</summary>
    public static (List<Scenario> Scenarios, List<string> Errors) Parse(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scenarios = new List<Scenario>();
        var errors = new List<string>();
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            try
            {
                var file = JsonSerializer.Deserialize<ScenarioFile>(text, Options);
                foreach (var (scenario, index) in (file?.Scenarios ?? []).Select((s, i) => (s, i)))
                {
                    // A scenario the service could not run as a request would be (no complaintType, a timestamp out of
                    // range, a follow-up without receivedAt) is the file's error, said like the API's 400, never a throw.
                    if (Invalid(scenario) is { } why)
                    {
                        errors.Add($"{name}: scenario {(scenario?.Name is { Length: > 0 } n ? $"'{n}'" : $"#{index + 1}")}: {why}");
                        continue;
                    }
                    scenarios.Add(scenario with { File = name });
                }
            }
            catch (JsonException ex)
            {
                var message = ContractJson.DuplicateProperty(ex) is { } twice ? $"{twice}: {ContractJson.GivenTwice}" : ex.Message.Split(" Path:")[0];
                errors.Add($"{name}:{ex.LineNumber + 1}: {message} (at {ex.Path})");
            }
        }
        return (scenarios, errors);
    }

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
        return options;
    }

    private sealed record ScenarioFile
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; init; }

        public List<Scenario> Scenarios { get; init; } = [];
    }
}
