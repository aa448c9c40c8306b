using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Hosting;
namespace ComplaintDiagnostics.Api.Security;

/// <summary>Optional API keys and per-client rate limits (configuration section <c>Security</c>).
/// With no keys configured the service is open, as on a closed operator network; once any key is configured,
/// the operations endpoints need an operations key.</summary>
internal sealed class SecurityOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Security";
    public const string KeyHeader = "X-Api-Key";

    /// <summary>Keys accepted on /api/v1/diagnose and /batch (front-desk systems).</summary>
    public string[] DiagnoseKeys { get; set; } = [];

    /// <summary>Keys accepted on operations endpoints: /api/v1/rules/validate and /api/v1/rules/history.</summary>
    public string[] OperationsKeys { get; set; } = [];

    /// <summary>Requests per client per minute on the diagnose endpoints; 0 turns limiting off. A client is its
    /// API key when keys are configured and it sent a valid one, else its network address.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10_000_000)]
    public int DiagnosePerMinute { get; set; }

    /// <summary>Requests per client per minute on validate and history (a validate call compiles a whole rule
    /// set); 0 turns limiting off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 100_000)]
    public int OperationsPerMinute { get; set; } = 30;

    /// <summary>How many validate calls run at once across all clients; more wait in a short queue, then get 429.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 64)]
    public int ValidateConcurrency { get; set; } = 1;

    /// <summary>The largest validate body (the proposed files).</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 64 * 1024 * 1024)]
    public int ValidateMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Named people with roles for the rule lifecycle, for an installation without an OpenID Connect provider
    /// (<c>Security:Users:0:Name</c>, <c>:Key</c>, <c>:Roles</c>); each sends its key in <see cref="KeyHeader"/>.</summary>
    public NamedUser[] Users { get; set; } = [];

    /// <summary>Bearer tokens from the operator's OpenID Connect provider, for the rule lifecycle.</summary>
    public OidcOptions Oidc { get; set; } = new();

    private static readonly string[] LifecycleRoles = ["author", "approver", "operator"];

    /// <summary>A named user without a name or a usable key, a key two people share, or a role no one checks stops the start.</summary>
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        for (var i = 0; i < Users.Length; i++)
        {
            var user = Users[i];
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                yield return new($"Security:Users:{i}:Name is empty: every action is attributed to a name.", [$"Users:{i}:Name"]);
            }
            if (user.Key.Length < 16)
            {
                yield return new($"Security:Users:{i}:Key must be at least 16 characters (a random one: openssl rand -hex 16).", [$"Users:{i}:Key"]);
            }
            if (Array.FindIndex(Users, u => string.Equals(u.Name.Trim(), user.Name.Trim(), StringComparison.OrdinalIgnoreCase)) < i)
            {
                yield return new($"Security:Users:{i}:Name is another user's too (case and spaces aside): a name is one person.", [$"Users:{i}:Name"]);
            }
            if (Array.FindIndex(Users, u => u.Key == user.Key) < i)
            {
                yield return new($"Security:Users:{i}:Key is also another user's: a key names one person.", [$"Users:{i}:Key"]);
            }
            foreach (var role in user.Roles.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Where(r => !LifecycleRoles.Contains(r, StringComparer.Ordinal)))
            {
                yield return new($"Security:Users:{i}:Roles has '{role}'; the roles are {string.Join(", ", LifecycleRoles)}.", [$"Users:{i}:Roles"]);
            }
        }
    }

    /// <summary>Whether any key is configured: then the operations endpoints are closed without an operations key.</summary>
    public bool AnyKeys => DiagnoseKeys.Length > 0 || OperationsKeys.Length > 0;

    /// <summary>The named people's keys.</summary>
    public string[] UserKeys => [.. Users.Select(u => u.Key)];
}

/// <summary>Which set of keys an endpoint accepts.</summary>
internal enum KeyScope
{
    /// <summary>Front-desk systems: open when no diagnose key is configured.</summary>
    Diagnose,

    /// <summary>NOC and QA tooling: open only when no key at all is configured.</summary>
    Operations,

    /// <summary>Reading and checking (validate, the record's overview and performance): an operations key or a named
    /// person's key; open when no key at all is configured.</summary>
    Reading,
}

/// <summary>A person who may take part in the rule lifecycle, known by a key.</summary>
internal sealed class NamedUser
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>Comma-separated: <c>author</c>, <c>approver</c>, <c>operator</c>.</summary>
    public string Roles { get; set; } = "";
}

/// <summary>The OpenID Connect provider whose bearer tokens name the people of the rule lifecycle.</summary>
internal sealed class OidcOptions
{
    /// <summary>The provider's issuer URL; its discovery document gives the signing keys. Empty: no bearer tokens.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience a token must be issued for (this service's client id at the provider).</summary>
    public string Audience { get; set; } = "";

    /// <summary>The claim holding a person's roles (providers differ: <c>roles</c>, <c>groups</c>, <c>realm_access</c>...).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The claim holding the name a lifecycle action is attributed to.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Whether the discovery document must come over HTTPS (only a test provider on loopback turns it off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
