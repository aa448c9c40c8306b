using System.Text.Json.Serialization;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// Everything the rule lifecycle knows (contract, "Rule lifecycle"), kept as one JSON file on the rules repository's
/// <c>lifecycle</c> branch: each action is a commit by the person who took it, so the branch's log is the record of who
/// did what and when, and every replica reads the same state. Replaced whole on each change (never edited in place).
/// </summary>
public sealed record LifecycleState
{
    public int NextProposal { get; init; } = 1;

    /// <summary>The next release's number: releases are numbered 1, 2, ... and a number is never used twice.</summary>
    public int NextRelease { get; init; } = 1;

    /// <summary>The release in service, or null before the first.</summary>
    public int? Active { get; init; }

    public IReadOnlyList<Proposal> Proposals { get; init; } = [];

    public IReadOnlyList<Release> Releases { get; init; } = [];

    /// <summary>Every activation and rollback, oldest first.</summary>
    public IReadOnlyList<Activation> Activations { get; init; } = [];

    public Release? ReleaseNumbered(int number) => Releases.FirstOrDefault(r => r.Number == number);

    public Release? ActiveRelease => Active is { } active ? ReleaseNumbered(active) : null;

    public Proposal? ProposalWithId(string id) => Proposals.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    /// <summary>This state with <paramref name="proposal"/> in place of the one with its id (or added).</summary>
    public LifecycleState With(Proposal proposal) => this with
    {
        Proposals = [.. Proposals.Where(p => p.Id != proposal.Id), proposal],
    };
}

public static class ProposalStatus
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
}

/// <summary>A proposed change to the rules: a branch of the repository (<c>proposals/&lt;id&gt;</c>) on the release it was
/// based on, its commits, its check, and what reviewers said.</summary>
/// <param name="Base">The commit it was based on: the active release's when it was made.</param>
/// <param name="Head">The proposal's newest commit: what a release made from it holds.</param>
public sealed record Proposal(
    string Id, string Title, string? Description, string Status, string Author, string Base, int BaseRelease, string Head,
    IReadOnlyList<ProposalCommit> Commits, ProposalCheck Check, IReadOnlyList<ProposalNote> Notes,
    DateTimeOffset CreatedAt, int? Release)
{
    /// <summary>The contract's name for <see cref="Head"/>: the commit a release made from the proposal holds.</summary>
    public string Commit => Head;

    /// <summary>Live traffic also evaluated by this proposal, while it lasts.</summary>
    public ShadowSettings? Shadow { get; init; }

    /// <summary>Everyone who authored a commit of it: none of them may approve it.</summary>
    [JsonIgnore]
    public IEnumerable<string> Authors => Commits.Select(c => c.Author).Append(Author).Distinct(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> wrote any of it, names compared as people read them (case and surrounding
    /// spaces aside), so "Alice " cannot approve what "alice" wrote.</summary>
    public bool IsAuthor(string name) => Authors.Any(a => string.Equals(a.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>A proposal evaluated on <paramref name="Percent"/>% of live diagnoses from <paramref name="Since"/> until
/// <paramref name="Until"/>, after each answer was sent; set by <paramref name="By"/>.</summary>
public sealed record ShadowSettings(int Percent, DateTimeOffset Since, DateTimeOffset Until, string By)
{
    public bool IsOn(DateTimeOffset now) => Percent > 0 && now < Until;
}

public sealed record ProposalCommit(string Hash, string Author, DateTimeOffset At, IReadOnlyList<string> Files);

/// <summary>Something a person did to a proposal: commented, approved (with a regression accepted, if any), rejected.</summary>
public sealed record ProposalNote(string Action, string By, DateTimeOffset At, string? Comment, IReadOnlyList<string>? AcceptedRegressions = null);

/// <summary>A numbered release: exactly the content of a commit, the evidence it was approved on, and who.</summary>
/// <param name="Base">The commit of the release it was proposed on (null for release 1).</param>
public sealed record Release(
    int Number, string Commit, DateTimeOffset CreatedAt, IReadOnlyList<string> Authors, IReadOnlyList<string> ApprovedBy,
    string Title, string? Proposal, ProposalCheck? Evidence, IReadOnlyList<string>? AcceptedRegressions, string? Base = null);

public sealed record Activation(int Release, string By, DateTimeOffset At, string Reason, int? Previous);
