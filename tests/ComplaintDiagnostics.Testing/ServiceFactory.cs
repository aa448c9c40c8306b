using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintDiagnostics.Testing;

/// <summary>The real service over the real HTTP pipeline, serving a rules folder on disk
/// (the shipped <c>rules/</c> unless a test gives its own) with a clock the test controls.</summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly string _rulesPath;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>Serves the shipped rules folder.</summary>
    public ServiceFactory()
        : this(RepoPaths.Rules)
    {
    }

    private ServiceFactory(string rulesPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        _rulesPath = rulesPath;
        _settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>Serves a rules folder of the test's own (a temp copy it edits), with extra configuration.</summary>
    public static ServiceFactory Serving(string rulesPath, IReadOnlyDictionary<string, string>? settings = null) => new(rulesPath, settings);

    /// <summary>Everything the service logged, for privacy checks.</summary>
    public CapturedLogs Logs { get; } = new();

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>This service's data folder: its decision record and spool.</summary>
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("cd-data-").FullName;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a busy machine: the temp folder is cleaned by the system.
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Rules:Path", _rulesPath);
        builder.UseSetting("Rules:DebounceMilliseconds", "100");
        builder.UseSetting("Rules:PollSeconds", "0.5");
        // No last-good copy under the test host's folder, which every test shares (BrokenStartProcessTests restart on one).
        builder.UseSetting("Rules:LastGoodPath", "");
        // Each service its own decision record (SQLite) and spool, in a folder removed when it is disposed.
        builder.UseSetting("ConnectionStrings:Decisions", $"Data Source={Path.Combine(DataFolder, "decisions.db")}");
        builder.UseSetting("Decisions:SpoolPath", Path.Combine(DataFolder, "spool"));
        // One warm-up pass: the JIT-quiet loop is covered by its own test, not paid by every loopback service.
        builder.UseSetting("Diagnose:WarmupLimitMilliseconds", "0");
        // A service under test stops at once; the drain after SIGTERM has a test of its own (a real process).
        builder.UseSetting("Shutdown:DrainSeconds", "0");
        // Test classes share one in-memory client address; the operations limit has tests of its own.
        builder.UseSetting("Security:OperationsPerMinute", "0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

internal static class HttpClientExtensions
{
    /// <summary>How long a test waits for a reload. The product's target is 2 s (measured by
    /// bench/reload-latency.sh); tests only check that it happens, with room for a loaded shared machine.</summary>
    public static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(15);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>POSTs JSON with an <c>X-Api-Key</c> header when <paramref name="key"/> is given.</summary>
    public static Task<HttpResponseMessage> PostWithKeyAsync(this HttpClient client, string url, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return client.SendAsync(request);
    }

    /// <summary>GETs with an <c>X-Api-Key</c> header.</summary>
    public static Task<HttpResponseMessage> GetWithKeyAsync(this HttpClient client, string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        request.Headers.Add("X-Api-Key", key);
        return client.SendAsync(request);
    }

    public static async Task<DiagnoseResponse> DiagnoseAsync(this HttpClient client, string json)
    {
        using var response = await client.PostJsonAsync("/api/v1/diagnose", json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<DiagnoseResponse>(body, ContractJson.Options)!;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The Prometheus text at /metrics, as series (<c>name{label="value",...}</c>, labels as written) → value.</summary>
    public static async Task<PrometheusScrape> ScrapeAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Until the decision store has migrated (before that what writes to it answers 503, as it should).</summary>
    public static Task DecisionStoreReadyAsync(this HttpClient client) => Eventually(async () =>
        (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("storeReachable").GetBoolean(),
        TimeSpan.FromSeconds(20), "the decision store migrated");

    /// <summary>Polls until <paramref name="condition"/> holds; tests never sleep a fixed time.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }
}

/// <summary>A logger provider that keeps every formatted message (with its scopes) in memory.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The first line that matches, once it has been written. The audit line of a diagnosis reaches the
    /// log a few milliseconds after the answer (it is written off the request's path), so a test that looks for
    /// one waits for it, and only then asserts what must not be in the log.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No log line within 10 s: {what}");
            await Task.Delay(10);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new System.Text.StringBuilder();
            owner._scopes.ForEachScope((scope, sb) => sb.Append(" => ").Append(scope is IEnumerable<KeyValuePair<string, object>> kv
                ? string.Join(", ", kv.Select(p => $"{p.Key}={p.Value}")) : scope), scopes);
            owner._lines.Enqueue($"{category}[{eventId.Id}] {formatter(state, exception)} {exception}{scopes}");
        }
    }
}

/// <summary>One scrape of the Prometheus text format: each sample line's series and value (comments skipped).</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, double> samples, string text)
{
    public IReadOnlyDictionary<string, double> Samples => samples;

    public string Text => text;

    public static PrometheusScrape Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var end = line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            var value = line[end..].Trim().Split(' ')[0];
            samples[line[..end]] = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return new PrometheusScrape(samples, text);
    }

    /// <summary>The sum over the series of <paramref name="name"/> whose labels include every given <c>label="value"</c>.</summary>
    public double Sum(string name, params string[] labels) => samples
        .Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
        .Sum(s => s.Value);
}
