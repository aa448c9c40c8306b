using System.Security.Cryptography;
using System.Text;

namespace ComplaintDiagnostics.Api.Infrastructure;

/// <summary>Optional API keys and per-client rate limits (configuration section <c>Security</c>).
/// With no keys configured an endpoint group is open, as on a closed operator network.</summary>
internal sealed class SecurityOptions
{
    public const string Section = "Security";
    public const string KeyHeader = "X-Api-Key";

    /// <summary>Keys accepted on /api/v1/diagnose and /batch (front-desk systems).</summary>
    public string[] DiagnoseKeys { get; set; } = [];

    /// <summary>Keys accepted on operations endpoints: /api/v1/rules/validate and /api/v1/rules/history.</summary>
    public string[] OperationsKeys { get; set; } = [];

    /// <summary>Requests per client (its API key, else its address) per minute on the diagnose endpoints; 0 turns limiting off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000_000)]
    public int DiagnosePerMinute { get; set; }
}

/// <summary>Checks a presented key against a configured set without leaking, through timing, how much of it matched.</summary>
internal static class ApiKeys
{
    public static bool Matches(string? presented, IReadOnlyCollection<string> keys)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        // Hashing first gives equal-length inputs, so FixedTimeEquals never short-cuts on length.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var found = false;
        foreach (var key in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
        return found;
    }

    /// <summary>An endpoint filter that answers 401 problem details unless the request carries one of the keys
    /// (<paramref name="keys"/> picks the set from the options); an empty set lets every request through.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, Func<SecurityOptions, string[]> keys) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value;
            var accepted = keys(options);
            if (accepted.Length == 0 || Matches(context.HttpContext.Request.Headers[SecurityOptions.KeyHeader], accepted))
            {
                return await next(context);
            }
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required.",
                detail: $"Send the key in the {SecurityOptions.KeyHeader} header.");
        });
}
