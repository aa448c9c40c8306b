using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.History;
using ComplaintDiagnostics.Core.Scenarios;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// The rules repository (<c>Rules:Repository</c>): a Git repository, bare or not, whose <c>rules/</c> folder holds the rule
/// files. Proposals are branches (<c>proposals/&lt;id&gt;</c>) whose commits carry their authors' names; releases are tags
/// (<c>release/&lt;n&gt;</c>); the branch <c>active</c> is the release in service; the branch
/// <c>lifecycle</c> holds <see cref="LifecycleState"/>, one commit per action by the person who took it. Every change
/// moves its refs in one <c>git update-ref --stdin</c> transaction against the lifecycle head it read, so two replicas
/// (or two approvers) racing for the same change cannot both win: the loser reads the new state and is refused by it.
/// Written through Git's plumbing on a temporary index: no working tree is touched.
/// </summary>
public sealed class RulesRepository
{
    public const string RulesFolder = "rules/";
    public const string LifecycleBranch = "refs/heads/lifecycle";
    public const string ActiveBranch = "refs/heads/active";
    private const string StateFile = "lifecycle.json";
    private const int Attempts = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly GitRules _git;
    private readonly RulesRemote? _remote;

    private RulesRepository(string path, GitRules git, RulesRemote? remote)
    {
        Path = path;
        _git = git;
        _remote = remote;
    }

    public string Path { get; }

    /// <summary>The repository at <paramref name="path"/>; with a <paramref name="remote"/> (<c>Rules:Remote</c>), this replica's
    /// clone of that shared repository, made at the first open.</summary>
    /// <exception cref="GitRulesException">It is no Git repository, or the shared one cannot be cloned.</exception>
    public static RulesRepository Open(string path, string? remote = null)
    {
        var shared = string.IsNullOrEmpty(remote) ? null : new RulesRemote(remote, path);
        shared?.CloneOnce();
        return new(path, GitRules.AtRepository(path, RulesFolder), shared);
    }

    /// <summary>With a shared repository, brings its lifecycle, proposals and releases here (a poll does this first);
    /// without one, nothing to do.</summary>
    /// <exception cref="GitRulesException">The shared repository cannot be reached: what is here stays as it was.</exception>
    public void Sync() => _remote?.Fetch();

    /// <summary>The lifecycle as the shared repository has it now when it can be reached (what a person asking expects: a
    /// proposal made on another replica a moment ago), else as this clone last fetched it.</summary>
    public LifecycleState ReadLatestState()
    {
        _ = TrySync();
        return ReadState().State;
    }

    public static string ProposalBranch(string id) => $"refs/heads/proposals/{id}";

    public static string ReleaseTag(int number) => $"refs/tags/release/{number.ToString(CultureInfo.InvariantCulture)}";

    public string? CommitOf(string revision) => _git.CommitOf(revision);

    /// <summary>The rule files at <paramref name="commit"/> (as a reload reads a folder).</summary>
    public RuleSources ReadRules(string commit) => _git.ReadAt(commit);

    /// <summary>The scenario files (<c>rules/tests/*.json</c>) at <paramref name="commit"/>.</summary>
    public Dictionary<string, string> ReadScenarios(string commit) => _git.ReadFilesAt(commit, ScenarioFiles.IsScenarioFile);

    /// <summary>The lifecycle as the repository has it now, and the commit it was read at (null before the first action).</summary>
    public (string? Head, LifecycleState State) ReadState()
    {
        var head = CommitOf(LifecycleBranch);
        if (head is null)
        {
            return (null, new LifecycleState());
        }
        if (_last is { } last && last.Head == head)
        {
            return (head, last.State); // The usual poll: the lifecycle has not moved, and its state is not read again.
        }
        var json = GitRules.Run(Path, ["cat-file", "blob", $"{head}:{StateFile}"], null);
        var state = JsonSerializer.Deserialize<LifecycleState>(json, Json) ?? throw new GitRulesException($"{StateFile} at {head[..12]} is empty.");
        _last = new StateAt(head, state);
        return (head, state);
    }

    // The state last read and the commit it was read at: a commit's state never changes, and states are immutable.
    private volatile StateAt? _last;

    private sealed record StateAt(string Head, LifecycleState State);

    /// <summary>The names on the commits <paramref name="commit"/> has that <paramref name="since"/> has not.</summary>
    public IReadOnlyList<string> AuthorsOf(string commit, string? since = null) =>
        [.. GitRules.Run(Path, ["log", "-z", "--format=%an", since is null ? commit : $"{since}..{commit}", "--"], null)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Trim('\n')).Distinct(StringComparer.Ordinal)];

    /// <summary>A new commit on <paramref name="parent"/> with <paramref name="changes"/> made to the rules folder (a null text
    /// removes the file), by <paramref name="author"/>; no ref is moved.</summary>
    public string CommitRules(string parent, IReadOnlyDictionary<string, string?> changes, string author, DateTimeOffset at, string message)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var index = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cd-index-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        try
        {
            GitRules.Run(Path, ["read-tree", parent], null, environment);
            foreach (var (file, text) in changes)
            {
                if (text is null)
                {
                    GitRules.Run(Path, ["update-index", "--force-remove", "--", RulesFolder + file], null, environment);
                }
                else
                {
                    var blob = GitRules.Run(Path, ["hash-object", "-w", "--stdin"], text).Trim();
                    GitRules.Run(Path, ["update-index", "--add", "--cacheinfo", $"100644,{blob},{RulesFolder}{file}"], null, environment);
                }
            }
            var tree = GitRules.Run(Path, ["write-tree"], null, environment).Trim();
            return CommitTree(tree, parent, author, at, message);
        }
        finally
        {
            File.Delete(index);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the lifecycle as it is now and commits the result as <paramref name="actor"/>,
    /// moving the lifecycle branch and the change's refs in one transaction; when another writer moved the lifecycle first,
    /// reads it again and applies the change to that (which may now refuse it).
    /// </summary>
    /// <exception cref="LifecycleException">The change refused (nothing written).</exception>
    public T Change<T>(string actor, DateTimeOffset at, Func<LifecycleState, LifecycleChange<T>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _ = TrySync(); // Decided on the latest state: a stale clone would only lose its lease and try again.
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (head, state) = ReadState();
            var next = change(state);
            if (ReferenceEquals(next.State, state))
            {
                return next.Result; // Nothing to change (another replica did it first).
            }
            var blob = GitRules.Run(Path, ["hash-object", "-w", "--stdin"], JsonSerializer.Serialize(next.State, Json) + "\n").Trim();
            var tree = GitRules.Run(Path, ["mktree"], $"100644 blob {blob}\t{StateFile}\n").Trim();
            var commit = CommitTree(tree, head, actor, at, next.Message);
            try
            {
                if (_remote is null)
                {
                    GitRules.Run(Path, ["update-ref", "--stdin"], Transaction(head, commit, next.Refs));
                }
                else
                {
                    // The shared repository decides, leased on the lifecycle head read; this clone then takes what landed
                    // there (a fetch running beside may have brought it already).
                    _remote.Push(commit, head, next.Refs);
                    FollowPush(Transaction(head, commit, next.Refs));
                }
                return next.Result;
            }
            catch (GitRulesException ex)
            {
                if (_remote is not null && !TrySync())
                {
                    throw; // The shared repository is not answering: whether it landed is known at the next fetch, refused here.
                }
                if (_remote is not null && CommitOf(LifecycleBranch) == commit)
                {
                    return next.Result; // Reported failed (a timeout) but landed: the fetch brought this very commit back.
                }
                if (ex.Message.Contains("cannot lock ref", StringComparison.OrdinalIgnoreCase)
                    || ex.Message.Contains(".lock': File exists", StringComparison.Ordinal))
                {
                    // Another process on this repository (a replica starting beside this one) holds the ref's lock while it
                    // writes: the race is decided once it lets go, so read again after a moment (it refused a start once).
                    Thread.Sleep(TimeSpan.FromMilliseconds(50 * (attempt + 1)));
                    continue;
                }
                if (CommitOf(LifecycleBranch) == head)
                {
                    // Not a race lost: git refused a ref (a release tag or a proposal branch someone created by hand), or
                    // the shared repository could not be reached.
                    throw new LifecycleException(LifecycleRefusal.Conflict, $"The rules repository refused the change: {ex.Message}");
                }
                // Another action landed between the read and the write: take it into account.
            }
        }
        throw new LifecycleException(LifecycleRefusal.Conflict, $"The lifecycle changed under this action {Attempts} times in a row; try again.");
    }

    /// <summary>The ref moves of a change as one <c>update-ref --stdin</c> transaction, against the lifecycle head read and
    /// refusing to create a ref that exists.</summary>
    private static string Transaction(string? head, string commit, IReadOnlyList<RefMove> refs)
    {
        var transaction = new StringBuilder();
        transaction.Append(head is null ? $"create {LifecycleBranch} {commit}\n" : $"update {LifecycleBranch} {commit} {head}\n");
        foreach (var (name, target, create) in refs)
        {
            transaction.Append(create ? $"create {name} {target}\n" : $"update {name} {target}\n");
        }
        return transaction.ToString();
    }

    /// <summary>This clone takes what the push landed, only if it still has the lifecycle the change was decided on (a
    /// fetch running beside may have brought a newer one already, which must not be rewound); otherwise it fetches.</summary>
    private void FollowPush(string transaction)
    {
        try
        {
            _remote!.Exclusively(() => GitRules.Run(Path, ["update-ref", "--stdin"], transaction));
        }
        catch (GitRulesException)
        {
            _ = TrySync(); // The push landed; the next poll's fetch brings it here if this does not.
        }
    }

    /// <summary>Fetches from the shared repository; false when it cannot be reached (what is here stays as it was).</summary>
    private bool TrySync()
    {
        try
        {
            Sync();
            return true;
        }
        catch (GitRulesException)
        {
            return false;
        }
    }

    private string CommitTree(string tree, string? parent, string who, DateTimeOffset at, string message)
    {
        // Git refuses '<', '>' and line breaks in a name; the name is kept whole in the lifecycle's JSON.
        var name = new string([.. who.Where(c => c is not ('<' or '>') && !char.IsControl(c))]).Trim();
        name = name.Length == 0 ? "unnamed" : name;
        var date = $"@{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} +0000";
        var environment = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = name, ["GIT_AUTHOR_EMAIL"] = "rules@complaint-diagnostics", ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = name, ["GIT_COMMITTER_EMAIL"] = "rules@complaint-diagnostics", ["GIT_COMMITTER_DATE"] = date,
        };
        return GitRules.Run(Path, parent is null ? ["commit-tree", tree, "-F", "-"] : ["commit-tree", tree, "-p", parent, "-F", "-"], message + "\n", environment).Trim();
    }
}

/// <summary>A change to the lifecycle: the new state, the commit message saying what was done, the refs to move with it
/// (a proposal's branch, a release's tag, the active branch), and what the caller gets back.</summary>
public sealed record LifecycleChange<T>(LifecycleState State, string Message, IReadOnlyList<RefMove> Refs, T Result);

/// <param name="Create">The ref must not exist yet (a release tag: a number is never reused).</param>
public sealed record RefMove(string Name, string Commit, bool Create = false);
