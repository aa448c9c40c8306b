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

    public string Url { get; } = url;

    /// <summary>A password in the URL itself (<c>https://user:secret@host/...</c>), which Git would print in its messages.</summary>
    public static bool HasPassword(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile && uri.UserInfo.Contains(':', StringComparison.Ordinal);

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
                Run(parent, ["clone", "--bare", "--quiet", Url, staging]);
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
    public void Fetch() =>
        Run(clone, ["fetch", "--quiet", "--prune", "--prune-tags", "--force", "--no-write-fetch-head", Url,
            "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]);

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

    private void Run(string folder, string[] args)
    {
        try
        {
            GitRules.Run(folder, args, null);
        }
        catch (GitRulesException ex)
        {
            throw new GitRulesException($"the shared rules repository {Url}: {ex.Message}");
        }
    }
}
