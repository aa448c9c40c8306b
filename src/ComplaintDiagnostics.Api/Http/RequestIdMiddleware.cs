using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Hosting;
using System.Text.RegularExpressions;

namespace ComplaintDiagnostics.Api.Http;

/// <summary>
/// Every request gets an id: the caller's <c>X-Request-Id</c> when it is a sane token, else a new one. It is
/// echoed in the response, is the problem details' traceId, and is in the scope of every log line.
/// </summary>
internal static partial class RequestIdMiddleware
{
    public const string Header = "X-Request-Id";

    // A new id is this process's random 64-bit prefix and a counter, as 32 hex digits: unique across requests and
    // (with overwhelming odds) across replicas and restarts, like a random GUID, without Guid.NewGuid's read of
    // /dev/urandom on every request (a system call; it showed in the service's syscall count, once per request).
    private static readonly ulong Prefix = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long _issued;

    /// <summary>A new request id: 32 lowercase hex digits.</summary>
    public static string NewId() => string.Create(32, (ulong)Interlocked.Increment(ref _issued), static (chars, count) =>
    {
        Prefix.TryFormat(chars[..16], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        count.TryFormat(chars[16..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
    });

    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app)
    {
        // One logger for the process, and a one-entry scope: this runs on every request.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ComplaintDiagnostics.Requests");
        return app.Use(async (context, next) =>
        {
            var given = context.Request.Headers[Header].ToString();
            var id = SaneId().IsMatch(given) ? given : NewId();
            context.TraceIdentifier = id;
            context.Response.Headers[Header] = id;
            using (logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", id) }))
            {
                await next(context);
            }
        });
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex SaneId();
}
