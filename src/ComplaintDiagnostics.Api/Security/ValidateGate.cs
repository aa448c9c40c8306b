using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
using System.Threading.RateLimiting;

namespace ComplaintDiagnostics.Api.Security;

/// <summary>How many rule-set validations run at once (<c>Security:ValidateConcurrency</c>), with a short queue:
/// a burst of large proposals waits or gets 429 instead of taking every core and gigabytes of memory.</summary>
internal sealed class ValidateGate(int concurrency) : IDisposable
{
    public const int RetryAfterSeconds = 5;

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = concurrency,
        QueueLimit = 2 * concurrency,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
