using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Hosting;

/// <summary>How the service leaves (configuration section <c>Shutdown</c>).</summary>
internal sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>After SIGTERM, how long /readyz answers 503 while requests are still served, so that a load balancer
    /// or Kubernetes takes the instance out before it stops accepting connections. Keep it below the grace period.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 300)]
    public double DrainSeconds { get; set; } = 5;
}

/// <summary>On SIGTERM: readiness turns 503 at once (<see cref="Draining"/>), requests keep being answered for
/// <see cref="ShutdownOptions.DrainSeconds"/>, then the host stops the server, which lets requests in flight finish.</summary>
internal sealed partial class ShutdownDrain(IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var drain = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        if (drain > TimeSpan.Zero)
        {
            LogDraining(drain.TotalSeconds);
            try
            {
                await Task.Delay(drain, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out first: stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: not ready; serving for {Seconds} s more before the server stops")]
    private partial void LogDraining(double seconds);
}

internal static class ShutdownDrainExtensions
{
    /// <summary>While draining, every response says <c>Connection: close</c>: a client opens a new connection for its
    /// next request (refused once the listener closes, and retried elsewhere by a load balancer) instead of sending
    /// it on a kept-alive connection the server is about to close.</summary>
    public static IApplicationBuilder UseShutdownDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<ShutdownDrain>();
        return app.Use((context, next) =>
        {
            if (drain.Draining)
            {
                context.Response.Headers.Connection = "close";
            }
            return next(context);
        });
    }
}
