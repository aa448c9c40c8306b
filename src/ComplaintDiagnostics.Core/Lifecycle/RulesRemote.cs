using ComplaintDiagnostics.Core.Rules.History;

namespace ComplaintDiagnostics.Core.Lifecycle;

/// <summary>
/// The shared rules repository a replica with no shared disk works through (<c>Rules:Remote</c>): the replica's own bare
/// clone is fetched from it (every branch and tag, so the lifecycle, the proposals and the releases) and every lifecycle
/// action is pushed to it as one atomic push, leased on the lifecycle branch the action was decided on. The Git server is
/// then the one place two replicas' actions meet: of two approvals racing from two replicas, exactly one push lands.
/// </summary>
internal sealed class RulesRemote(string url, string clone)
{
    private static readonly Lock Cloning = new();

    /// <summary>One writer of a clone's refs at a time in this process (the poll's fetch, a request's fetch, a push being
    /// followed): two git processes updating one ref at once fail on its lock file.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lock> Writers = new(StringComparer.Ordinal);

    private Lock Writer => Writers.GetOrAdd(Path.GetFullPath(clone), _ => new Lock());

    /// <summary>Runs <paramref name="write"/> as the clone's only writer in this process.</summary>
    public void Exclusively(Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (Writer)
        {
            write();
        }
    }

    public string Url { get; } = url;

    /// <summary>What is wrong with <paramref name="url"/> as a shared rules repository, or null: credentials in it (a password,
    /// or a token as an HTTP user name or in the query: Git prints URLs in its messages), or a leading '-' (Git would read
    /// it as an option). An SSH user name (<c>ssh://git@host/...</c>, <c>git@host:path</c>) is no secret.</summary>
    public static string? Problem(string url)
    {
        if (url.StartsWith('-'))
        {
            return "it starts with '-', which git would read as an option";
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal) || (uri.UserInfo.Length > 0 && uri.Scheme is "http" or "https"))
            {
                return "it carries credentials (a user name or password): give Git's credential helper or an SSH key the credentials instead, since Git prints URLs in its messages";
            }
            if (uri.Query.Length > 0)
            {
                return "it has a query string, where tokens are put: give Git's credential helper the credentials instead";
            }
        }
        return null;
    }

    /// <summary>The URL as messages show it: scheme, host and path, nothing of any user or query.</summary>
    public static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}{uri.AbsolutePath}" : url;

    /// <summary>Makes the replica's bare clone when it has none yet (the first start, or a fresh volume).</summary>
    public void CloneOnce()
    {
        lock (Cloning)
        {
            if (Directory.Exists(Path.Combine(clone, "refs")) || File.Exists(Path.Combine(clone, "HEAD")) || Directory.Exists(Path.Combine(clone, ".git")))
            {
                return;
            }
            var parent = Path.GetDirectoryName(Path.GetFullPath(clone))!;
            Directory.CreateDirectory(parent);
            var staging = Path.Combine(parent, $".{Path.GetFileName(clone)}-{Guid.NewGuid():N}");
            try
            {
                // Cloned aside and moved into place: a clone cut short (the server went away) is never taken for a clone.
                Run(parent, ["clone", "--bare", "--quiet", "--", Url, staging], CloneTimeout);
                Directory.Move(staging, clone);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
    }

    /// <summary>Brings every branch and tag of the shared repository into the clone as it is there now (a branch or tag
    /// gone there goes here too).</summary>
    public void Fetch() => Exclusively(() =>
        Run(clone, ["fetch", "--quiet", "--prune", "--prune-tags", "--force", "--no-write-fetch-head", Url,
            "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]));

    /// <summary>
    /// Pushes the lifecycle branch to <paramref name="lifecycle"/> only if the shared repository still has it at
    /// <paramref name="readAt"/> (absent when null), with <paramref name="moves"/>, all or nothing.
    /// </summary>
    /// <exception cref="GitRulesException">Refused: the lease no longer held, a ref to create exists, or the server is away.</exception>
    public void Push(string lifecycle, string? readAt, IReadOnlyList<RefMove> moves)
    {
        List<string> args = ["push", "--quiet", "--atomic", "--porcelain", $"--force-with-lease={RulesRepository.LifecycleBranch}:{readAt}"];
        List<string> refspecs = [$"{lifecycle}:{RulesRepository.LifecycleBranch}"];
        foreach (var move in moves)
        {
            if (move.Create)
            {
                args.Add($"--force-with-lease={move.Name}:"); // Must not exist there: a release number is never reused.
                refspecs.Add($"{move.Commit}:{move.Name}");
            }
            else
            {
                refspecs.Add($"+{move.Commit}:{move.Name}"); // The active branch goes back on a rollback; the lease above orders it.
            }
        }
        Run(clone, [.. args, Url, .. refspecs]);
    }

    /// <summary>A first clone brings the repository's whole history: more than a fetch's 20 s on a slow link.</summary>
    private static readonly TimeSpan CloneTimeout = TimeSpan.FromMinutes(5);

    private void Run(string folder, string[] args, TimeSpan? timeout = null)
    {
        try
        {
            GitRules.Run(folder, args, null, timeout: timeout);
        }
        catch (GitRulesException ex)
        {
            // Git's own message may quote the URL: only its redacted form is ever shown.
            var redacted = Redacted(Url);
            throw new GitRulesException($"the shared rules repository {redacted}: {ex.Message.Replace(Url, redacted, StringComparison.Ordinal)}");
        }
    }
}
