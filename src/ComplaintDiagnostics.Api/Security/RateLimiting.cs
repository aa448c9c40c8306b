using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Security;

/// <summary>
/// Per-client limits: on the diagnose endpoints (<c>Security:DiagnosePerMinute</c>, off by default) and on the
/// operations endpoints (<c>Security:OperationsPerMinute</c>, 30 by default). A client is the key it
/// authenticated with, else its network address, never an unchecked header; the service's own start-up
/// warm-up is no client at all. A limit that is off is a no-limiter partition: nothing is counted.
/// </summary>
internal static class RateLimiting
{
    public const string DiagnosePolicy = "diagnose";
    public const string OperationsPolicy = "operations";

    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(DiagnosePolicy, context => Partition(context, KeyScope.Diagnose, o => o.DiagnosePerMinute));
            options.AddPolicy(OperationsPolicy, context => Partition(context, KeyScope.Operations, o => o.OperationsPerMinute));
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return TooManyRequests(context.HttpContext, retryAfter);
            };
        });
        return services;
    }

    /// <summary>The diagnose limit on these endpoints when one is configured (it is read once at start); when it is
    /// off the endpoints carry no policy, so the rate limiter passes their requests without a lease.</summary>
    public static TBuilder RequireDiagnoseLimit<TBuilder>(this TBuilder builder, IEndpointRouteBuilder app) where TBuilder : IEndpointConventionBuilder =>
        app.ServiceProvider.GetRequiredService<IOptions<SecurityOptions>>().Value.DiagnosePerMinute > 0
            ? builder.RequireRateLimiting(DiagnosePolicy)
            : builder;

    private static RateLimitPartition<string> Partition(HttpContext context, KeyScope scope, Func<SecurityOptions, int> perMinute)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var limit = perMinute(options);
        if (limit <= 0 || context.IsWarmup())
        {
            return RateLimitPartition.GetNoLimiter("off");
        }
        var client = ApiKeys.AuthenticatedKey(options, scope, context.Request.Headers[SecurityOptions.KeyHeader]) is { } key
            ? "key:" + key
            : "ip:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    /// <summary>429 problem details with Retry-After.</summary>
    public static async ValueTask TooManyRequests(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests.", Detail = $"Retry after {seconds} s." },
        });
    }
}
