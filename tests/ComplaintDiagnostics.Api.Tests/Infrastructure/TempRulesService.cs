global using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Infrastructure;

/// <summary>A test class that serves its own copy of the rules (or an empty folder) and edits it on disk;
/// in process, or on a real loopback port for a browser or a load test.</summary>
public abstract class TempRulesService : IDisposable
{
    protected TempRulesService(bool copyShippedRules = true, bool onLoopback = false)
        : this(copyShippedRules ? RepoPaths.Rules : null, onLoopback)
    {
    }

    /// <param name="rulesSource">The rules folder to copy (null: start on an empty folder).</param>
    protected TempRulesService(string? rulesSource, bool onLoopback = false)
    {
        Rules = new TempRulesFolder(rulesSource);
        Factory = ServiceFactory.Serving(Rules.Path);
        if (onLoopback)
        {
            var port = Loopback.FreePort();
            Factory.UseKestrel(port);
            Factory.StartServer();
            BaseUrl = $"http://127.0.0.1:{port}";
            Client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        }
        else
        {
            Client = Factory.CreateClient();
        }
    }

    /// <summary>The loopback address, when the service listens on a real port.</summary>
    protected string? BaseUrl { get; }

    internal TempRulesFolder Rules { get; }

    protected ServiceFactory Factory { get; }

    protected HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        Rules.Dispose();
        GC.SuppressFinalize(this);
    }
}
