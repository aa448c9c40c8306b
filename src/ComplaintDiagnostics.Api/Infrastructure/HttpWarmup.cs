using System.Text.Json;
using ComplaintDiagnostics.Api.OpenApi;
using ComplaintDiagnostics.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Infrastructure;

/// <summary>
/// Sends one request per complaint type through the service's own HTTP pipeline as soon as it listens, and
/// only then lets /readyz report ready: routing, the handlers and the JSON contracts are compiled before any
/// front desk is sent here, so the first real request is as fast as a warm one. (The rules themselves are
/// warmed when they load.)
/// </summary>
internal sealed partial class HttpWarmup(IServer server, IOptions<SecurityOptions> security, ILogger<HttpWarmup> logger) : IHostedLifecycleService
{
    private volatile bool _done;

    /// <summary>True once the warm-up requests have been answered (or there was nothing to warm).</summary>
    public bool Done => _done;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null)
            {
                return; // An in-memory test server: there is no socket to warm.
            }
            var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)).Uri;
            using var client = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
            if (security.Value.DiagnoseKeys.FirstOrDefault() is { } key)
            {
                client.DefaultRequestHeaders.Add(SecurityOptions.KeyHeader, key);
            }
            foreach (var example in DiagnoseExamples.All)
            {
                using var content = new StringContent(JsonSerializer.Serialize(example.Request with { TicketId = "warm-up" }, ContractJson.Options),
                    System.Text.Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/api/v1/diagnose", UriKind.Relative), content, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            LogWarmupFailed(ex.Message);
        }
        finally
        {
            _done = true;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP warm-up did not complete ({Reason}); the first requests may be slower")]
    private partial void LogWarmupFailed(string reason);
}
