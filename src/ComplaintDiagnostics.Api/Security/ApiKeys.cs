using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
using System.Security.Cryptography;
using System.Text;

namespace ComplaintDiagnostics.Api.Security;

/// <summary>Checks a presented key against a configured set without leaking, through timing, how much of it matched.</summary>
internal static class ApiKeys
{
    public static bool Matches(string? presented, IReadOnlyCollection<string> keys)
    {
        if (string.IsNullOrEmpty(presented) || keys.Count == 0)
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

    /// <summary>Whether a request may use an endpoint of <paramref name="scope"/>.</summary>
    public static bool Admits(SecurityOptions options, KeyScope scope, string? presented) => scope switch
    {
        KeyScope.Diagnose => options.DiagnoseKeys.Length == 0 || Matches(presented, options.DiagnoseKeys),
        // A named person (Security:Users) reads and checks as an operations key does (the editor's validate, the record's
        // figures), but never writes or erases the record.
        KeyScope.Reading => !options.AnyKeys || Matches(presented, options.OperationsKeys) || Matches(presented, options.UserKeys),
        _ => !options.AnyKeys || Matches(presented, options.OperationsKeys),
    };

    /// <summary>The valid key a request authenticated with, hashed, or null: the only key a rate limit may
    /// partition by (an unchecked header would let a client pick a fresh partition per request).</summary>
    public static string? AuthenticatedKey(SecurityOptions options, KeyScope scope, string? presented)
    {
        // Named people are partitioned by their own key too, not by the address they share behind a balancer.
        string[] keys = scope == KeyScope.Diagnose ? options.DiagnoseKeys : [.. options.OperationsKeys, .. options.UserKeys];
        return Matches(presented, keys) ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented!))) : null;
    }

    /// <summary>An endpoint filter that answers 401 problem details unless the request may use <paramref name="scope"/>.</summary>
    /// <remarks>Keys are configuration read once at start, so an endpoint that no key guards gets no filter at all:
    /// an unused check costs a request nothing.</remarks>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, IEndpointRouteBuilder app, KeyScope scope)
        where TBuilder : IEndpointConventionBuilder
    {
        var configured = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value;
        if (scope == KeyScope.Diagnose ? configured.DiagnoseKeys.Length == 0 : !configured.AnyKeys)
        {
            return builder;
        }
        return builder.AddEndpointFilter(async (context, next) =>
        {
            if (Admits(configured, scope, context.HttpContext.Request.Headers[SecurityOptions.KeyHeader]))
            {
                return await next(context);
            }
            var which = scope == KeyScope.Diagnose ? "a diagnose key" : "an operations key";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required.",
                detail: $"Send {which} in the {SecurityOptions.KeyHeader} header.");
        });
    }
}
