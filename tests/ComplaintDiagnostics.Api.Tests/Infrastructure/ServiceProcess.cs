using System.Diagnostics;

namespace ComplaintDiagnostics.Api.Tests.Infrastructure;

/// <summary>The service as an operator runs it: its own process (the built ComplaintDiagnostics.Api.dll) on a real
/// loopback port, configured by environment variables, stopped by SIGTERM like an orchestrator does.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private Task<string>? _output;

    private ServiceProcess(Process process, int port, bool readOutput)
    {
        _process = process;
        Port = port;
        _output = readOutput ? process.StandardOutput.ReadToEndAsync() : null;
        Errors = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    /// <summary>Everything the service writes to standard output; for a service started without reading it, reading
    /// starts here.</summary>
    public Task<string> Output => _output ??= _process.StandardOutput.ReadToEndAsync();

    public Task<string> Errors { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public HttpClient CreateClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    /// <param name="readOutput">False leaves standard output unread (a pipe that fills, like a stalled log
    /// shipper) until <see cref="Output"/> is first asked for.</param>
    /// <param name="workingDirectory">Where the process runs, as an operator's <c>dotnet run</c> or container does: the
    /// default last-good copy is kept there (data/). Null: the test host's folder, with a last-good copy of its own.</param>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, bool readOutput = true, string? workingDirectory = null)
    {
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ComplaintDiagnostics.Api.dll")])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Diagnose__WarmupLimitMilliseconds"] = "0";
        // The default last-good copy is a file under the working directory, which every test process here shares: each
        // process keeps its own unless the test names one (to restart on it).
        if (workingDirectory is null)
        {
            start.Environment["Rules__LastGoodPath"] = Path.Combine(Path.GetTempPath(), "cd-last-good-" + Guid.NewGuid().ToString("N") + ".json");
            var data = Path.Combine(Path.GetTempPath(), "cd-data-" + Guid.NewGuid().ToString("N"));
            start.Environment["ConnectionStrings__Decisions"] = $"Data Source={Path.Combine(data, "decisions.db")}";
            start.Environment["Decisions__SpoolPath"] = Path.Combine(data, "spool");
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new ServiceProcess(Process.Start(start)!, port, readOutput);
    }

    /// <summary>The service started on <paramref name="rulesPath"/> as an operator starts it, once it listens: its
    /// readiness and its rules status then, for a start on a folder it must refuse.</summary>
    public static async Task<(ServiceProcess Service, System.Net.HttpStatusCode Ready, string Status)> StartOnAsync(string rulesPath)
    {
        var service = Start(new Dictionary<string, string> { ["Rules__Path"] = rulesPath, ["Shutdown__DrainSeconds"] = "1" });
        await service.WaitForAsync("/healthz");
        using var client = service.CreateClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (service, ready.StatusCode, await client.GetStringAsync(new Uri("/api/v1/rules/status", UriKind.Relative)));
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, failing if the process exits first.</summary>
    public async Task WaitForAsync(string path)
    {
        using var client = CreateClient();
        await HttpClientExtensions.Eventually(async () =>
        {
            Assert.False(_process.HasExited, "the service process exited");
            try
            {
                return (await client.GetAsync(new Uri(path, UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"{path} answers 200");
    }

    public async Task SigtermAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    public async Task WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
