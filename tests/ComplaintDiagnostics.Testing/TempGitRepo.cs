using System.Diagnostics;

namespace ComplaintDiagnostics.Testing;

/// <summary>A real Git repository in a temporary folder holding a copy of a rules folder under <c>rules/</c>, committed
/// with the git command line as a NOC engineer would.</summary>
internal sealed class TempGitRepo : IDisposable
{
    public TempGitRepo(string rulesSource)
    {
        Root = Directory.CreateTempSubdirectory("cd-git-").FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Test");
        Git("config", "user.email", "test@example.invalid");
        Git("config", "commit.gpgsign", "false");
        RepoPaths.CopyRules(rulesSource, Rules);
    }

    public string Root { get; }

    public string Rules => Path.Combine(Root, "rules");

    /// <summary>Rewrites a rule file with one textual replacement; fails if the text is not there.</summary>
    public void Edit(string relative, string from, string to)
    {
        var file = Path.Combine(Rules, relative);
        var text = File.ReadAllText(file);
        Assert.Contains(from, text);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Commits everything, as <paramref name="author"/>; returns the commit's hash.</summary>
    public string Commit(string message, string author = "Li Wei <li.wei@noc.example>")
    {
        Git("add", "-A");
        Git("commit", "-q", "--author", author, "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Environment variables for every git command (and so for hooks it runs).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Runs git and asserts it succeeded; returns its standard output.</summary>
    public string Git(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>Runs git; returns its exit code and everything it (and its hooks) wrote.</summary>
    public (int ExitCode, string Output) TryGit(params string[] args)
    {
        var (code, output, error) = Run(args);
        return (code, output + error);
    }

    private (int Code, string Output, string Error) Run(string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        git.WaitForExit();
        return (git.ExitCode, output.Result, error.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the OS temp cleaner takes it later.
        }
    }
}
