using System.Text.RegularExpressions;

namespace ComplaintDiagnostics.Api.Infrastructure;

/// <summary>
/// Every request gets an id: the caller's <c>X-Request-Id</c> when it is a sane token, else a new one. It is
/// echoed in the response, is the problem details' traceId, and is in the scope of every log line.
/// </summary>
internal static partial class RequestIdMiddleware
{
    public const string Header = "X-Request-Id";

    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app)
    {
        // One logger for the process, and a one-entry scope: this runs on every request.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ComplaintDiagnostics.Requests");
        return app.Use(async (context, next) =>
        {
            var given = context.Request.Headers[Header].ToString();
            var id = SaneId().IsMatch(given) ? given : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = id;
            context.Response.Headers[Header] = id;
            using (BeginScope(logger, id))
            {
                await next(context);
            }
        });
    }

    /// <summary>The request's log scope, also for lines written after the request (the audit line).</summary>
    public static IDisposable? BeginScope(ILogger logger, string? id) =>
        logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", id ?? "") });

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex SaneId();
}
