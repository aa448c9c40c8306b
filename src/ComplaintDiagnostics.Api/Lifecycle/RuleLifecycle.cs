using System.Runtime.CompilerServices;
using System.Text.Json;
using ComplaintDiagnostics.Api.Record;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Scenarios;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Lifecycle;

/// <summary>
/// The rule lifecycle as the service runs it (contract, "Rule lifecycle"): a proposal is checked on its content (lint,
/// scenarios, the recorded complaints with confirmed causes) before anything is written; its commit carries its author's
/// name; approval, rejection and activation are transitions of the state on the repository's lifecycle branch
/// (<see cref="LifecycleTransitions"/>), which every replica reads. Only in release mode.
/// </summary>
internal sealed class RuleLifecycle(
    IOptions<RulesOptions> rules, RuleSetHolder holder, RuleSetReloader reloader, ProposalValidator validator, Diagnoser diagnoser,
    IDecisionStore store, IOptions<DecisionOptions> decisions, TimeProvider time)
{
    private RulesRepository? _repository;

    private RulesRepository Repository => rules.Value.IsReleaseMode
        ? _repository ??= RulesRepository.Open(rules.Value.RepositoryFullPath, rules.Value.Remote)
        : throw new LifecycleException(LifecycleRefusal.Conflict,
            "This service serves its rules folder as written (Rules:Source=folder): proposals and releases need Rules:Source=release and Rules:Repository.");

    /// <summary>The lifecycle as this replica last read it (a poll reads it).</summary>
    public LifecycleState State() => Repository.ReadState().State;

    /// <summary>The lifecycle as the shared repository has it now, for a person asking (<see cref="RulesRepository.ReadLatestState"/>).</summary>
    public LifecycleState LatestState() => Repository.ReadLatestState();

    /// <summary>The rule files at a commit of the repository (a proposal's head).</summary>
    public RuleSources RulesAt(string commit) => Repository.ReadRules(commit);

    public Proposal Shadow(string by, string id, int percent, DateTimeOffset until) =>
        Repository.Change(by, time.GetUtcNow(), state => LifecycleTransitions.Shadow(state, id, by, percent, until, time.GetUtcNow()));

    public async Task<Proposal> ProposeAsync(string author, string title, string? description, string? baseCommit,
        IReadOnlyDictionary<string, string?> files, CancellationToken cancellationToken)
    {
        var repository = Repository;
        var active = repository.ReadState().State.ActiveRelease
            ?? throw new LifecycleException(LifecycleRefusal.Conflict, "No release is active yet.");
        // A base given as a release's commit (or its number) must be the active one: a proposal on an older release would
        // be checked against rules that are no longer in service.
        var onBase = baseCommit is null ? active.Commit
            : int.TryParse(baseCommit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number == active.Number ? active.Commit
                    : throw new LifecycleException(LifecycleRefusal.Conflict, $"Release {number} is not the active release ({active.Number}); propose on release {active.Number}.")
            : baseCommit.Length is >= 7 and <= 64 && baseCommit.All(char.IsAsciiHexDigit) && repository.CommitOf(baseCommit) is { } commit ? commit
            : throw new LifecycleException(LifecycleRefusal.Invalid, "The base is not a release or a commit of the rules repository.",
                new Dictionary<string, string[]> { ["base"] = ["a release number or a commit hash; leave it out to propose on the active release."] });
        if (onBase != active.Commit)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"The proposal is based on {onBase[..12]}, which is not the active release (release {active.Number}); base it on that.");
        }
        var baseFiles = FilesAt(onBase);
        var changes = Changed(Normalized(files), baseFiles);
        var check = await CheckAsync(active, baseFiles, changes, cancellationToken);
        var head = repository.CommitRules(onBase, changes, author, time.GetUtcNow(), title);
        return repository.Change(author, time.GetUtcNow(),
            state => LifecycleTransitions.Propose(state, author, title, description, onBase, head, [.. changes.Keys], check, time.GetUtcNow()));
    }

    public async Task<Proposal> ReviseAsync(string author, string id, IReadOnlyDictionary<string, string?> files, CancellationToken cancellationToken)
    {
        var repository = Repository;
        var state = repository.ReadState().State;
        var proposal = state.ProposalWithId(id) ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no proposal {id}.");
        var active = state.ActiveRelease ?? throw new LifecycleException(LifecycleRefusal.Conflict, "No release is active yet.");
        // Who and when first: a revision nobody may make is refused before the check's replay and any commit.
        if (!string.Equals(proposal.Author, author, StringComparison.Ordinal))
        {
            throw new LifecycleException(LifecycleRefusal.Forbidden, $"Only its author ({proposal.Author}) replaces the files of proposal {id}; comment on it instead.");
        }
        if (proposal.Status != ProposalStatus.Open)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict, $"Proposal {id} is {proposal.Status}.");
        }
        var baseFiles = FilesAt(proposal.Head);
        var changes = Changed(Normalized(files), baseFiles);
        var check = await CheckAsync(active, baseFiles, changes, cancellationToken);
        var head = repository.CommitRules(proposal.Head, changes, author, time.GetUtcNow(), $"revise {id}");
        return repository.Change(author, time.GetUtcNow(),
            s => LifecycleTransitions.Revise(s, id, author, proposal.Head, head, [.. changes.Keys], check, time.GetUtcNow()));
    }

    public Release Approve(string approver, string id, string? comment, bool acceptRegression, string? head) =>
        Repository.Change(approver, time.GetUtcNow(), state => LifecycleTransitions.Approve(state, id, approver, comment, acceptRegression, time.GetUtcNow(), head));

    public Proposal Withdraw(string author, string id, string? comment) =>
        Repository.Change(author, time.GetUtcNow(), state => LifecycleTransitions.Withdraw(state, id, author, comment, time.GetUtcNow()));

    public Proposal Reject(string approver, string id, string comment) =>
        Repository.Change(approver, time.GetUtcNow(), state => LifecycleTransitions.Reject(state, id, approver, comment, time.GetUtcNow()));

    public Activation Activate(string by, int number, string reason)
    {
        var activation = Repository.Change(by, time.GetUtcNow(), state => LifecycleTransitions.Activate(state, number, by, reason, time.GetUtcNow()));
        reloader.Nudge(); // This replica at once; the others at their next poll.
        return activation;
    }

    /// <summary>The files a proposal changes, by path in the rules folder; a path out of it, a file no reload reads, or a
    /// file larger than a replica reads a release with (<see cref="Core.Files.ReadLimits.RuleFiles"/>) is refused.</summary>
    private static Dictionary<string, string?> Normalized(IReadOnlyDictionary<string, string?> files)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        // The limits replicas read a release with (GitRules), not this service's folder settings.
        var limits = Core.Files.ReadLimits.RuleFiles;
        foreach (var (name, text) in files)
        {
            if (text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > limits.MaxFileBytes)
            {
                errors[$"files.{name}"] = [$"larger than a rule file may be ({limits.MaxFileBytes / 1024} KiB): no replica would read the release."];
                continue;
            }
            var path = ProposalValidator.Normalize(name);
            if (path.Split('/').Any(part => part is "" or "." or "..") || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal))
            {
                errors[$"files.{name}"] = ["a path inside the rules folder, e.g. workflows/data.json (no leading '/', no '..', no '\\')."];
            }
            else if (ProposalValidator.NotRead(path) is { } why)
            {
                errors[$"files.{name}"] = [why];
            }
            else if (!changes.TryAdd(path, text))
            {
                errors[$"files.{name}"] = ["given twice under different spellings."];
            }
        }
        if (changes.Values.Sum(t => t is null ? 0L : System.Text.Encoding.UTF8.GetByteCount(t)) > limits.MaxTotalBytes)
        {
            errors["files"] = [$"more than a rule set may hold ({limits.MaxTotalBytes / 1024} KiB)."];
        }
        if (changes.Count == 0 && errors.Count == 0)
        {
            errors["files"] = ["at least one file: its path in the rules folder to its text (null removes it)."];
        }
        return errors.Count == 0 ? changes
            : throw new LifecycleException(LifecycleRefusal.Invalid, "The proposal names files the rules folder does not have.", errors);
    }

    /// <summary>The files a proposal's commits changed, at its base release and at its head (null: absent there).</summary>
    public ProposalFiles ChangedFiles(Proposal proposal)
    {
        var (before, after) = (FilesAt(proposal.Base), FilesAt(proposal.Head));
        var changed = proposal.Commits.SelectMany(c => c.Files).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ProposalFiles(changed.ToDictionary(f => f, f => before.GetValueOrDefault(f), StringComparer.Ordinal),
            changed.ToDictionary(f => f, f => after.GetValueOrDefault(f), StringComparer.Ordinal));
    }

    /// <summary>The rule and scenario files at a commit, by path in the rules folder.</summary>
    private Dictionary<string, string> FilesAt(string commit)
    {
        var files = new Dictionary<string, string>(Repository.ReadRules(commit).Files, StringComparer.Ordinal);
        foreach (var (name, text) in Repository.ReadScenarios(commit))
        {
            files[name] = text;
        }
        return files;
    }

    /// <summary>The files that differ from <paramref name="baseFiles"/> (a whole folder may be sent: <c>propose</c> does).</summary>
    private static Dictionary<string, string?> Changed(Dictionary<string, string?> files, Dictionary<string, string> baseFiles)
    {
        var changed = files.Where(f => f.Value is null ? baseFiles.ContainsKey(f.Key) : !(baseFiles.TryGetValue(f.Key, out var text) && text == f.Value))
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var total = baseFiles.Where(f => RuleSources.IsRuleFile(f.Key) && !changed.ContainsKey(f.Key)).Sum(f => (long)System.Text.Encoding.UTF8.GetByteCount(f.Value))
            + changed.Where(f => RuleSources.IsRuleFile(f.Key)).Sum(f => f.Value is null ? 0L : System.Text.Encoding.UTF8.GetByteCount(f.Value));
        if (total > Core.Files.ReadLimits.RuleFiles.MaxTotalBytes)
        {
            throw new LifecycleException(LifecycleRefusal.Invalid, "The proposed rule set is too large.", new Dictionary<string, string[]>
            {
                ["files"] = [$"the rule set would be {total / 1024} KiB, more than {Core.Files.ReadLimits.RuleFiles.MaxTotalBytes / 1024} KiB: no replica would read the release."],
            });
        }
        return changed.Count > 0 ? changed
            : throw new LifecycleException(LifecycleRefusal.Invalid, "The proposal changes nothing.",
                new Dictionary<string, string[]> { ["files"] = ["every file given is as it is in the rules it is based on."] });
    }

    /// <summary>The gate on <paramref name="changes"/> laid over <paramref name="baseFiles"/>: refused when it does not lint.</summary>
    private async Task<ProposalCheck> CheckAsync(Release active, Dictionary<string, string> baseFiles, Dictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        var report = await validator.ValidateAsync(changes, baseFiles, cancellationToken);
        var errors = report.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        if (errors.Count > 0 || report.Rules is null)
        {
            throw new LifecycleException(LifecycleRefusal.Invalid, $"The proposed rules do not lint: {errors.Count} problem(s).",
                errors.GroupBy(p => p.File).ToDictionary(g => g.Key, g => g.Select(p => p.ToString()).ToArray()));
        }
        // The rules in service are usually the active release: compiled once, at its activation, not again per proposal.
        var live = holder.Current is { Release: var serving } current && serving == active.Number ? current
            : (await RuleSetCompiler.CompileAsync(Repository.ReadRules(active.Commit), time.GetUtcNow(), cancellationToken)).RuleSet
                ?? throw new LifecycleException(LifecycleRefusal.Conflict, $"Release {active.Number} no longer compiles on this build of the service.");
        var replay = await ReplayAsync(live, report.Rules, cancellationToken);
        return new ProposalCheck(report.Valid, report.Version, report.Problems, report.ScenariosPassed,
            [.. report.Scenarios.Where(s => !s.Passed).Select(s => s.Name)], report.ScenarioFileErrors, replay,
            Core.Rules.History.RuleSetChanges.Between(live.Sources, report.Rules.Sources));
    }

    private async Task<ReplayEvidence> ReplayAsync(RuleSet live, RuleSet proposal, CancellationToken cancellationToken)
    {
        if (!decisions.Value.Enabled)
        {
            return new ReplayEvidence(0, 0, 0, 0, 0, [], "Decisions:Enabled is false: no recorded complaints to replay.");
        }
        try
        {
            return await ProposalReplay.CompareAsync(live, proposal, Confirmed(cancellationToken), diagnoser, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return new ReplayEvidence(0, 0, 0, 0, 0, [], $"The decision store did not answer: {Privacy.Clean(ex.Message)}");
        }
    }

    /// <summary>The recorded live diagnoses with a confirmed cause, within the record's retention.</summary>
    private async IAsyncEnumerable<ConfirmedComplaint> Confirmed([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddDays(-decisions.Value.RetainDays);
        await foreach (var row in store.ReplayAsync(since, part: null, cancellationToken))
        {
            if (row.ConfirmedCause is { } cause && JsonSerializer.Deserialize<DiagnoseRequest>(row.Request, ContractJson.Options) is { ComplaintType: not null } request)
            {
                yield return new ConfirmedComplaint(AreaLookup.AsLookedUp(request, row.LookedUpSimilar), cause, row.DecisionId);
            }
        }
    }
}

internal static class LifecycleServices
{
    public static IServiceCollection AddRuleLifecycle(this IServiceCollection services) => services
        .AddSingleton<RuleLifecycle>()
        .AddSingleton<ShadowEvaluator>()
        .AddHostedService(sp => sp.GetRequiredService<ShadowEvaluator>());
}
