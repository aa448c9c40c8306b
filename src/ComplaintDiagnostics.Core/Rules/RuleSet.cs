using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// One immutable, validated and warmed rule set. The service answers every request from exactly one of
/// these; a reload builds a new one and swaps the reference, never touching the one in service.
/// </summary>
public sealed class RuleSet
{
    internal RuleSet(
        RuleSources sources,
        DateTimeOffset loadedAt,
        Serving.RuleServer server,
        IReadOnlyDictionary<ComplaintType, LoadedWorkflow> diagnosis,
        IReadOnlyList<LoadedWorkflow> policies,
        IReadOnlyDictionary<string, CauseInfo> causes,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> replies,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> actions,
        IReadOnlyList<string> languages,
        IReadOnlyList<RuleProblem> warnings)
    {
        Warnings = warnings;
        Sources = sources;
        LoadedAt = loadedAt;
        Server = server;
        Diagnosis = diagnosis;
        Policies = policies;
        Causes = causes;
        Replies = replies;
        Actions = actions;
        Languages = languages;
    }

    public string Version => Sources.Version;
    public DateTimeOffset LoadedAt { get; }

    /// <summary>The numbered release these rules are, in release mode; null when served from a folder as written.</summary>
    public int? Release
    {
        get => _release;
        internal set
        {
            _release = value;
            ReleaseText = value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private int? _release;

    /// <summary><see cref="Release"/> as every decision records it, made once when the release is put in service.</summary>
    public string? ReleaseText { get; private set; }

    /// <summary>The Git commit of the release, in release mode.</summary>
    public string? Commit { get; internal set; }
    public RuleSources Sources { get; }

    /// <summary>The diagnosis workflow for each complaint type.</summary>
    public IReadOnlyDictionary<ComplaintType, LoadedWorkflow> Diagnosis { get; }

    /// <summary>Policy workflows in the order they run.</summary>
    public IReadOnlyList<LoadedWorkflow> Policies { get; }

    /// <summary>The workflow that escalates tickets in progress (follow-up), when the manifest names one.</summary>
    public LoadedWorkflow? Escalation { get; init; }

    /// <summary>How the area's complaint history is looked up in the decision record ("areaHistory" in ruleset.json); null: never.</summary>
    public AreaHistory? AreaHistory { get; init; }

    /// <summary>Whom an escalation may notify: labels by code, then language (notify.json).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Notify { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Every workflow once, diagnosis first, the escalation last.</summary>
    public IEnumerable<LoadedWorkflow> Workflows =>
        Diagnosis.Values.Distinct().Concat(Policies).Concat(Escalation is null ? [] : [Escalation]);

    public IReadOnlyDictionary<string, CauseInfo> Causes { get; }

    /// <summary>The texts written back on the work order, by template id, then language.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> WorkOrderReplies { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>What a deadline placeholder reads as when the answer has no such deadline, by language.</summary>
    public IReadOnlyDictionary<string, string> AsSoonAsPossible { get; init; } = new Dictionary<string, string>();

    /// <summary>How the ticket system's TMF621 trouble tickets read as complaints and confirmed causes (tmf621.json).</summary>
    public TicketMapping TicketMapping { get; init; } = TicketMapping.Default;

    /// <summary>How confirmed causes (outcomes, a resolved ticket, a replayed history) read against this catalogue: built
    /// once per rule set, not per outcome call.</summary>
    public ConfirmedCauses ConfirmedCauses => _confirmedCauses ??= ConfirmedCauses.Of(this);

    private ConfirmedCauses? _confirmedCauses;

    /// <summary>Texts read to the customer, by template id, then language.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Replies { get; }

    /// <summary>Action labels by code, then language (actions.json).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Actions { get; }

    /// <summary>Supported languages, the default first.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>Findings that did not stop the rule set from loading (e.g. a rule that can never win).</summary>
    public IReadOnlyList<RuleProblem> Warnings { get; }

    /// <summary>How the rule set's workflows run on RulesEngine: the one seam that holds the engine (<c>Core/Serving</c>).</summary>
    internal Serving.RuleServer Server { get; }

    /// <summary>The first supported language among <paramref name="preferred"/> (exact, then by primary tag), else the default.</summary>
    public string ChooseLanguage(IEnumerable<string> preferred)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        foreach (var wanted in preferred)
        {
            var match = Languages.FirstOrDefault(l => string.Equals(l, wanted, StringComparison.OrdinalIgnoreCase))
                ?? Languages.FirstOrDefault(l => string.Equals(PrimaryTag(l), PrimaryTag(wanted), StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }
        return Languages[0];
    }

    /// <summary>A catalogue entry's text in <paramref name="language"/>, else its first (the default language's).</summary>
    public static string TextIn(IReadOnlyDictionary<string, string> texts, string language)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.TryGetValue(language, out var text) ? text : texts.Values.FirstOrDefault() ?? "";
    }

    private static string PrimaryTag(string language) => language.Split('-', 2)[0];
}
