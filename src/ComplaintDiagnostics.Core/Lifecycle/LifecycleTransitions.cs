using System.Globalization;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// What each lifecycle action does to the state, and when it is refused: pure functions of the state as read, so the
/// repository can apply one again to a state another replica changed meanwhile (<see cref="RulesRepository.Change{T}"/>).
/// </summary>
public static class LifecycleTransitions
{
    /// <summary>The most proposals in shadow at once.</summary>
    public const int MaxShadowed = 3;

    /// <summary>The longest a shadow runs.</summary>
    public const int MaxShadowDays = 30;

    /// <summary>At the first start in release mode: the default branch's head becomes release 1, active.</summary>
    public static LifecycleChange<Release> FirstRelease(LifecycleState state, string commit, IReadOnlyList<string> authors, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.ActiveRelease is { } active)
        {
            return new(state, "", [], active);
        }
        var release = new Release(state.NextRelease, commit, at, authors, [], "The default branch's head at the first start in release mode", null, null, null);
        var next = state with
        {
            NextRelease = release.Number + 1,
            Active = release.Number,
            Releases = [.. state.Releases, release],
            Activations = [.. state.Activations, new Activation(release.Number, by, at, "first start in release mode", null)],
        };
        return new(next, $"release {release.Number}: the default branch's head, active", [Tag(release), Active(release)], release);
    }

    /// <summary>A new proposal on the active release (its check already run on its content).</summary>
    public static LifecycleChange<Proposal> Propose(LifecycleState state, string author, string title, string? description, string baseCommit,
        string head, IReadOnlyList<string> files, ProposalCheck check, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        var active = ActiveOrRefuse(state);
        if (active.Commit != baseCommit)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"The proposal is based on {Short(baseCommit)}, which is not the active release (release {active.Number}, {Short(active.Commit)}); base it on that.");
        }
        var id = "p" + state.NextProposal.ToString(CultureInfo.InvariantCulture);
        var proposal = new Proposal(id, title, description, ProposalStatus.Open, author, baseCommit, active.Number, head,
            [new ProposalCommit(head, author, at, files)], check, [new ProposalNote("proposed", author, at, null)], at, null);
        return new(state.With(proposal) with { NextProposal = state.NextProposal + 1 }, $"propose {id}: {title}",
            [new RefMove(RulesRepository.ProposalBranch(id), head, Create: true)], proposal);
    }

    /// <summary>The proposal's files replaced by its author: a new commit on its branch, checked again.</summary>
    public static LifecycleChange<Proposal> Revise(LifecycleState state, string id, string author, string previousHead, string head,
        IReadOnlyList<string> files, ProposalCheck check, DateTimeOffset at)
    {
        var proposal = OpenOrRefuse(state, id);
        if (!string.Equals(proposal.Author, author, StringComparison.Ordinal))
        {
            throw new LifecycleException(LifecycleRefusal.Forbidden, $"Only its author ({proposal.Author}) replaces the files of proposal {id}; comment on it instead.");
        }
        if (proposal.Head != previousHead)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict, $"Proposal {id} changed while this revision was made; read it again.");
        }
        var revised = proposal with
        {
            Head = head,
            Commits = [.. proposal.Commits, new ProposalCommit(head, author, at, files)],
            Check = check,
            Notes = [.. proposal.Notes, new ProposalNote("revised", author, at, null)],
        };
        return new(state.With(revised), $"revise {id}", [new RefMove(RulesRepository.ProposalBranch(id), head)], revised);
    }

    /// <summary>A second person approves: the proposal's content becomes the next numbered release (not yet active).</summary>
    /// <param name="head">The proposal's commit the approver reviewed, when they say: a proposal revised since is refused.</param>
    public static LifecycleChange<Release> Approve(LifecycleState state, string id, string approver, string? comment, bool acceptRegression, DateTimeOffset at,
        string? head = null)
    {
        var proposal = OpenOrRefuse(state, id);
        if (proposal.IsAuthor(approver))
        {
            throw new LifecycleException(LifecycleRefusal.Forbidden, $"{approver} authored proposal {id}; a second person approves it.");
        }
        var active = ActiveOrRefuse(state);
        if (active.Commit != proposal.Base)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"Proposal {id} was checked against release {proposal.BaseRelease}, and release {active.Number} is active now: it would change the rules in service differently than it was checked. Its author proposes it again on release {active.Number}.");
        }
        if (head is not null && !proposal.Head.StartsWith(head, StringComparison.OrdinalIgnoreCase))
        {
            throw new LifecycleException(LifecycleRefusal.Conflict, $"Proposal {id} is at {Short(proposal.Head)} now, not {head}: it was revised after you read it; read it again.");
        }
        if (!proposal.Check.Valid)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict, $"Proposal {id} does not pass its check (lint or scenarios); its author revises it first.");
        }
        var regressions = proposal.Check.Regressions;
        if (proposal.Check.Replay.Unavailable is { } why && !acceptRegression)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"Proposal {id} was not replayed on the recorded complaints ({why}); approve with \"acceptRegression\": true to approve it without that evidence, under your name.");
        }
        if (regressions.Count > 0 && !acceptRegression)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"Proposal {id} answers recorded tickets confirmed as {string.Join(", ", regressions)} less well than the active release; approve with \"acceptRegression\": true to accept that, under your name.");
        }
        IReadOnlyList<string>? accepted = regressions.Count > 0 ? regressions : proposal.Check.Replay.Unavailable is not null && acceptRegression ? ["(no replay evidence)"] : null;
        var release = new Release(state.NextRelease, proposal.Head, at, [.. proposal.Authors], [approver], proposal.Title, id, proposal.Check, accepted, proposal.Base);
        var approved = proposal with
        {
            Status = ProposalStatus.Approved,
            Release = release.Number,
            Notes = [.. proposal.Notes, new ProposalNote("approved", approver, at, comment, accepted)],
        };
        var message = $"approve {id}: release {release.Number}" + (accepted is null ? "" : $", regression accepted: {string.Join(", ", accepted)}");
        return new(state.With(approved) with { NextRelease = release.Number + 1, Releases = [.. state.Releases, release] }, message, [Tag(release)], release);
    }

    /// <summary>Its author takes an open proposal back.</summary>
    public static LifecycleChange<Proposal> Withdraw(LifecycleState state, string id, string author, string? comment, DateTimeOffset at)
    {
        var proposal = OpenOrRefuse(state, id);
        if (!string.Equals(proposal.Author, author, StringComparison.Ordinal))
        {
            throw new LifecycleException(LifecycleRefusal.Forbidden, $"Only its author ({proposal.Author}) withdraws proposal {id}; an approver rejects it.");
        }
        var withdrawn = proposal with
        {
            Status = ProposalStatus.Withdrawn,
            Notes = [.. proposal.Notes, new ProposalNote("withdrawn", author, at, comment)],
        };
        return new(state.With(withdrawn), $"withdraw {id}", [], withdrawn);
    }

    public static LifecycleChange<Proposal> Reject(LifecycleState state, string id, string approver, string comment, DateTimeOffset at)
    {
        var proposal = OpenOrRefuse(state, id);
        var rejected = proposal with
        {
            Status = ProposalStatus.Rejected,
            Notes = [.. proposal.Notes, new ProposalNote("rejected", approver, at, comment)],
        };
        return new(state.With(rejected), $"reject {id}", [], rejected);
    }

    /// <summary>Evaluates an open proposal on live traffic (percent 0 stops it).</summary>
    public static LifecycleChange<Proposal> Shadow(LifecycleState state, string id, string by, int percent, DateTimeOffset until, DateTimeOffset at)
    {
        var proposal = OpenOrRefuse(state, id);
        if (percent is < 0 or > 100 || (percent > 0 && (until <= at || until > at.AddDays(MaxShadowDays))))
        {
            throw new LifecycleException(LifecycleRefusal.Invalid, "The shadow settings are not valid.", new Dictionary<string, string[]>
            {
                [percent is < 0 or > 100 ? "percent" : "until"] = [percent is < 0 or > 100 ? "a whole number from 1 to 100 (0 stops it)."
                    : $"a time after now and within {MaxShadowDays} days, with its offset."],
            });
        }
        if (percent > 0 && state.Proposals.Count(p => p.Id != id && p.Status == ProposalStatus.Open && p.Shadow is { } s && s.IsOn(at)) >= MaxShadowed)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"{MaxShadowed} proposals are in shadow already: each adds its own work and decisions to every live complaint. Stop one first (percent 0).");
        }
        var shadowed = proposal with
        {
            Shadow = new ShadowSettings(percent, proposal.Shadow is { } s && s.IsOn(at) ? s.Since : at, until, by),
            Notes = [.. proposal.Notes, new ProposalNote(percent == 0 ? "shadow stopped" : $"shadow {percent}% until {until:O}", by, at, null)],
        };
        return new(state.With(shadowed), percent == 0 ? $"stop shadow of {id}" : $"shadow {id}: {percent}% until {until:O}", [], shadowed);
    }

    /// <summary>Puts a release in service (an earlier one: a rollback).</summary>
    public static LifecycleChange<Activation> Activate(LifecycleState state, int number, string by, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        var release = state.ReleaseNumbered(number)
            ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no release {number}; the releases are {Numbers(state)}.");
        // Going forward, a release must be built on the one in service: release 3, proposed on release 1 while release 2
        // went live, would silently undo release 2. Going back (a rollback) is always allowed.
        if (state.ActiveRelease is { } active && number > active.Number && release.Base is { } based && based != active.Commit)
        {
            throw new LifecycleException(LifecycleRefusal.Conflict,
                $"Release {number} was proposed on {Short(based)}, not on release {active.Number} in service: activating it would undo what release {active.Number} changed. Propose the change again on release {active.Number}.");
        }
        var activation = new Activation(number, by, at, reason, state.Active);
        var next = state with { Active = number, Activations = [.. state.Activations, activation] };
        var verb = state.Active is { } previous && number < previous ? "roll back" : "activate";
        return new(next, $"{verb} to release {number}: {reason}", [Active(release)], activation);
    }

    private static Release ActiveOrRefuse(LifecycleState state) => state.ActiveRelease
        ?? throw new LifecycleException(LifecycleRefusal.Conflict, "No release is active yet: the service makes the default branch's head release 1 at its first start in release mode.");

    private static Proposal OpenOrRefuse(LifecycleState state, string id)
    {
        ArgumentNullException.ThrowIfNull(state);
        var proposal = state.ProposalWithId(id) ?? throw new LifecycleException(LifecycleRefusal.NotFound, $"There is no proposal {id}.");
        return proposal.Status == ProposalStatus.Open ? proposal
            : throw new LifecycleException(LifecycleRefusal.Conflict, $"Proposal {id} is {proposal.Status}" + (proposal.Release is { } n ? $" (release {n})." : "."));
    }

    private static RefMove Tag(Release release) => new(RulesRepository.ReleaseTag(release.Number), release.Commit, Create: true);

    private static RefMove Active(Release release) => new(RulesRepository.ActiveBranch, release.Commit);

    private static string Numbers(LifecycleState state) =>
        state.Releases.Count == 0 ? "none yet" : string.Join(", ", state.Releases.Select(r => r.Number));

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;
}
