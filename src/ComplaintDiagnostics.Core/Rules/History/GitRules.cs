using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComplaintDiagnostics.Core.Files;

namespace ComplaintDiagnostics.Core.Rules.History;

/// <summary>A commit that touched the rules folder: who, when, why, and what it changed in the rules.</summary>
/// <param name="Version">The rules version the files at this commit have: what a replica serving them reports as <c>rulesVersion</c>.</param>
public sealed record RuleCommit(string Hash, string Author, DateTimeOffset Time, string Message, string Version, RuleSetChanges Changes);

/// <summary>A revision Git does not know, or a Git that failed: the message says which, in Git's words.</summary>
public sealed class GitRulesException(string message) : Exception(message);

/// <summary>
/// The rules folder as a path inside a Git working tree, read through the <c>git</c> command line: the commits that
/// touched it, and its files at any revision (<c>HEAD~1</c>, a tag, a hash), read from the object store without
/// touching the working tree or the index.
/// </summary>
/// <remarks>The git CLI rather than LibGit2Sharp: revisions are parsed by Git itself, exactly as the engineer types
/// them (<c>HEAD~2</c>, <c>v2026.11^</c>, <c>main@{yesterday}</c>); worktrees, shallow clones (git-sync), newer
/// repository formats and <c>safe.directory</c> behave as in the engineer's own shell; and there is no native library
/// to ship per platform. It costs a process per query, so a commit's changes are computed once (commits do not
/// change) and the history endpoint is rate-limited like the other operations endpoints.</remarks>
public sealed class GitRules
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, RuleCommit> _commits = new(StringComparer.Ordinal);

    private GitRules(string root, string prefix)
    {
        Root = root;
        Prefix = prefix;
    }

    /// <summary>The working tree's top folder.</summary>
    public string Root { get; }

    /// <summary>The rules folder relative to <see cref="Root"/>, with '/' and a trailing '/' ("" at the top).</summary>
    public string Prefix { get; }

    /// <summary>The Git working tree holding <paramref name="rulesFolder"/>, or null when there is none (or no git).</summary>
    public static GitRules? Find(string rulesFolder)
    {
        ArgumentNullException.ThrowIfNull(rulesFolder);
        if (!Directory.Exists(rulesFolder))
        {
            return null;
        }
        try
        {
            var lines = Run(rulesFolder, ["rev-parse", "--show-toplevel", "--show-prefix"], null).Split('\n');
            return lines.Length >= 2 ? new GitRules(lines[0].Trim(), lines[1].Trim()) : null;
        }
        catch (Exception ex) when (ex is GitRulesException or System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    /// <summary>The rules under <paramref name="prefix"/> of a repository (bare or not) at <paramref name="repository"/>.</summary>
    /// <exception cref="GitRulesException">It is no Git repository (or git is missing).</exception>
    public static GitRules AtRepository(string repository, string prefix)
    {
        ArgumentNullException.ThrowIfNull(repository);
        try
        {
            Run(repository, ["rev-parse", "--git-dir"], null);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
        {
            throw new GitRulesException($"git could not be run on {repository}: {ex.Message}");
        }
        return new GitRules(repository, prefix);
    }

    /// <summary>The commit <paramref name="revision"/> names, or null when Git knows no such commit.</summary>
    public string? CommitOf(string revision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        if (revision.StartsWith('-'))
        {
            return null;
        }
        try
        {
            return Run(Root, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], null).Trim();
        }
        catch (GitRulesException)
        {
            return null;
        }
    }

    /// <summary>The rule files as they were at <paramref name="revision"/>.</summary>
    /// <exception cref="GitRulesException">Git does not know the revision, the rules folder did not exist then, or a rule
    /// file in it cannot be read as one (a link, a file over the size cap, an object Git cannot produce).</exception>
    public RuleSources ReadAt(string revision)
    {
        var files = ReadFilesAt(revision, RuleSources.IsRuleFile);
        return files.Count > 0 ? new RuleSources(files)
            : throw new GitRulesException($"there are no rule files under '{Prefix}' at {revision}.");
    }

    /// <summary>The files under the rules folder at <paramref name="revision"/> that <paramref name="include"/> takes (by
    /// path relative to the folder), read as <see cref="ReadAt"/> reads rule files.</summary>
    /// <exception cref="GitRulesException">As <see cref="ReadAt"/>.</exception>
    public Dictionary<string, string> ReadFilesAt(string revision, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var commit = CommitOf(revision) ?? throw new GitRulesException($"'{revision}' is not a commit of the repository at {Root}.");
        // Git's output is data, not a format: every path is NUL-terminated (-z), and objects are asked for by their hash,
        // never by a path that could hold a newline or bytes that are not UTF-8.
        var entries = new List<(string Name, string Mode, string Hash)>();
        foreach (var entry in Run(Root, ["ls-tree", "-r", "-z", commit, "--", Prefix.Length == 0 ? "." : Prefix], null).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> SP <type> SP <hash> TAB <path>"
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var meta = tab < 0 ? [] : entry[..tab].Split(' ');
            if (meta.Length != 3 || !entry[(tab + 1)..].StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new GitRulesException($"git ls-tree answered an entry that could not be read at {revision} ({commit[..12]}).");
            }
            var name = entry[(tab + 1 + Prefix.Length)..];
            if (include(name))
            {
                if (meta[1] != "blob" || meta[0] == "120000")
                {
                    throw new GitRulesException($"{name} is {(meta[0] == "120000" ? "a symbolic link" : "not a file")} at {revision} ({commit[..12]}); rule files are read as regular files only.");
                }
                entries.Add((name, meta[0], meta[2]));
            }
        }
        if (entries.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        var output = RunBytes(Root, ["cat-file", "--batch"], string.Concat(entries.Select(e => e.Hash + "\n")));
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0L;
        var at = 0;
        foreach (var (name, _, hash) in entries)
        {
            // Each answer: "<hash> blob <size>\n<content>\n", or "<hash> missing\n" (and "ambiguous", for a short name).
            var headerEnd = Array.IndexOf(output, (byte)'\n', at);
            var header = headerEnd < 0 ? [] : Encoding.ASCII.GetString(output, at, headerEnd - at).Split(' ');
            if (header.Length != 3 || header[0] != hash || header[1] != "blob"
                || !long.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || headerEnd + 1 + size > output.Length)
            {
                throw new GitRulesException($"git could not produce {name} at {revision} ({commit[..12]}): '{string.Join(' ', header.Skip(1))}'.");
            }
            total += size;
            if (size > ReadLimits.RuleFiles.MaxFileBytes || total > ReadLimits.RuleFiles.MaxTotalBytes)
            {
                throw new GitRulesException($"{name} at {revision} ({commit[..12]}) is {size} bytes; a rule file may be at most {ReadLimits.RuleFiles.MaxFileBytes} bytes.");
            }
            files[name] = Encoding.UTF8.GetString(output, headerEnd + 1, (int)size).TrimStart('\uFEFF');
            at = headerEnd + 1 + (int)size + 1;
        }
        return files;
    }

    /// <summary>The fields of one commit in <see cref="Log"/>'s format, in order; every one NUL-terminated, and with
    /// <c>-z</c> commits too, so no byte of a name or message (U+001E, U+001F, a newline) can move a field.</summary>
    private const string LogFormat = "--format=%H%x00%P%x00%an%x00%aI%x00%s";
    private const int LogFields = 5;

    /// <summary>The newest <paramref name="max"/> commits that touched the rules folder, newest first, each with what
    /// it changed against its first parent.</summary>
    /// <exception cref="GitRulesException">Git failed, or answered what cannot be read as its log.</exception>
    public IReadOnlyList<RuleCommit> Log(int max)
    {
        var fields = Run(Root, ["log", "-z", $"-n{max}", LogFormat, "--", Prefix.Length == 0 ? "." : Prefix], null).TrimEnd('\0').Split('\0');
        if (fields is [""])
        {
            return [];
        }
        if (fields.Length % LogFields != 0)
        {
            throw new GitRulesException($"git log answered {fields.Length} fields, not {LogFields} for each commit; the history cannot be read.");
        }
        var result = new List<RuleCommit>();
        // A commit's parent is often the next commit listed: read each revision's files once.
        var read = new Dictionary<string, RuleSources?>(StringComparer.Ordinal);
        RuleSources? Files(string hash) => read.TryGetValue(hash, out var files) ? files : read[hash] = TryReadAt(hash);
        for (var i = 0; i < fields.Length; i += LogFields)
        {
            var f = fields.AsSpan(i, LogFields).ToArray();
            if (f[0].Length < 40 || !f[0].All(char.IsAsciiHexDigitLower)
                || !DateTimeOffset.TryParse(f[3], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                throw new GitRulesException($"git log answered a commit that cannot be read ('{f[0]}'); the history cannot be read.");
            }
            result.Add(_commits.GetOrAdd(f[0], hash =>
            {
                var after = Files(hash);
                var parent = f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                var before = parent is null ? null : Files(parent);
                var changes = after is null ? new RuleSetChanges([], before?.Files.Keys.ToList() ?? [], []) : RuleSetChanges.Between(before, after);
                return new RuleCommit(hash, f[2], time, f[4], after?.Version ?? "", changes);
            }));
        }
        return result;
    }

    private RuleSources? TryReadAt(string revision)
    {
        try
        {
            return ReadAt(revision);
        }
        catch (GitRulesException)
        {
            return null;
        }
    }

    internal static string Run(string folder, string[] args, string? input, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        Encoding.UTF8.GetString(RunBytes(folder, args, input, environment, timeout));

    /// <summary>Runs git in <paramref name="folder"/> (a working tree or a bare repository): its output, or
    /// <see cref="GitRulesException"/> with its message. <paramref name="environment"/> adds variables (an author, an index).</summary>
    internal static byte[] RunBytes(string folder, string[] args, string? input, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Read-only: no optional index locks, no prompts, messages in a fixed language.
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        if (input is not null)
        {
            start.StandardInputEncoding = new UTF8Encoding(false);
        }
        // No hook of the repository's runs in the service (update-ref runs reference-transaction hooks).
        foreach (var arg in (string[])["-C", folder, "-c", "core.quotepath=off", "-c", "core.hooksPath=/dev/null", .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var git = Process.Start(start) ?? throw new GitRulesException("git could not be started.");
        var stdout = new MemoryStream();
        var copy = git.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = git.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            git.StandardInput.Write(input);
            git.StandardInput.Close();
        }
        if (!git.WaitForExit(timeout ?? Timeout))
        {
            git.Kill(entireProcessTree: true);
            throw new GitRulesException($"git {args[0]} took longer than {(timeout ?? Timeout).TotalSeconds:0} s.");
        }
        copy.GetAwaiter().GetResult();
        if (git.ExitCode != 0)
        {
            var message = stderr.GetAwaiter().GetResult().Trim();
            throw new GitRulesException(message.Length > 0 ? message : $"git {args[0]} failed (exit {git.ExitCode}); is the revision right?");
        }
        return stdout.ToArray();
    }
}
