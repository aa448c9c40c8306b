using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Security;

/// <summary>
/// Who takes a rule lifecycle action, from the platform's authentication (house style 16): bearer tokens from the operator's
/// OpenID Connect provider (roles from <see cref="OidcOptions.RolesClaim"/>), or named keys with roles
/// (<see cref="SecurityOptions.Users"/>), one more scheme behind the same role policies. Only the lifecycle's endpoints
/// authenticate (no default scheme), so a diagnose request pays nothing for it.
/// </summary>
internal static class Identities
{
    public const string Scheme = "identity";
    public const string Author = "author";
    public const string Approver = "approver";
    public const string Operator = "operator";

    public static IServiceCollection AddIdentities(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, "A bearer token or a named key", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(SecurityOptions.KeyHeader) ? NamedKeyHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, NamedKeyHandler>(NamedKeyHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<SecurityOptions>>((jwt, security) =>
        {
            var oidc = security.Value.Oidc;
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            if (oidc.Authority.Length > 0)
            {
                jwt.Authority = oidc.Authority;
            }
            jwt.Audience = oidc.Audience;
            jwt.TokenValidationParameters.ValidateAudience = true;
            jwt.TokenValidationParameters.ValidAudience = oidc.Audience;
            jwt.TokenValidationParameters.RoleClaimType = oidc.RolesClaim;
            jwt.TokenValidationParameters.NameClaimType = oidc.NameClaim;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Author, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Author))
            .AddPolicy(Approver, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Approver))
            .AddPolicy(AuthorOrApprover, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Author, Approver))
            .AddPolicy(ApproverOrOperator, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Approver, Operator))
            .AddPolicy(Anyone, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    public const string AuthorOrApprover = "author-or-approver";
    public const string ApproverOrOperator = "approver-or-operator";
    public const string Anyone = "anyone-known";

    /// <summary>The name an action is attributed to: the configured name claim, else the token's subject.</summary>
    /// <exception cref="Core.Lifecycle.LifecycleException">The identity names no one (a 403, never a 500).</exception>
    public static string NameOf(ClaimsPrincipal user) =>
        (user.Identity?.Name ?? user.FindFirst("sub")?.Value) is { } name && !string.IsNullOrWhiteSpace(name) ? name.Trim()
            : throw new Core.Lifecycle.LifecycleException(Core.Lifecycle.LifecycleRefusal.Forbidden,
                "The token names no one: it has neither the configured name claim (Security:Oidc:NameClaim) nor 'sub'.");
}

/// <summary>A named key (<see cref="SecurityOptions.Users"/>) in <c>X-Api-Key</c>: the person and their roles.</summary>
internal sealed class NamedKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "named-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[SecurityOptions.KeyHeader].ToString();
        NamedUser? found = null;
        // Every user's key compared, in constant time each: which one matched (or none) does not show in the timing.
        foreach (var user in security.Value.Users)
        {
            if (ApiKeys.Matches(presented, [user.Key]) && found is null)
            {
                found = user;
            }
        }
        if (found is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The key names no one."));
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, found.Name) };
        claims.AddRange(found.Roles.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(role => new Claim(ClaimTypes.Role, role)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}
