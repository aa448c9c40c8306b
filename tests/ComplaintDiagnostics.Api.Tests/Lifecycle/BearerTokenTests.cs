using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ComplaintDiagnostics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// Bearer tokens from an OpenID Connect provider: the test runs a provider of its own on loopback (a discovery document and
/// its key set, read by the service as it reads any provider's) and signs its own tokens. A forged, expired or
/// wrongly-audienced token is 401; a token whose roles do not allow the action is 403; a valid one is attributed by name.
/// </summary>
public sealed class BearerTokenTests : IAsyncLifetime, IDisposable
{
    private const string Audience = "complaint-diagnostics";
    private static readonly string[] Algorithms = ["RS256"];
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _forger = RSA.Create(2048);
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);
    private WebApplication? _provider;
    private ServiceFactory? _service;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        _repo.Commit("The shipped rules");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer, ["jwks_uri"] = _issuer + "/jwks", ["id_token_signing_alg_values_supported"] = Algorithms,
        }));
        _provider.MapGet("/jwks", () => Results.Text(
            $$"""{"keys":[{{System.Text.Json.JsonSerializer.Serialize(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "k1" }))}}]}""",
            "application/json"));
        await _provider.StartAsync();
        _issuer = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _service = ServiceFactory.Serving(_repo.Rules, ReleaseLifecycleTests.Settings(_repo.Root, new()
        {
            ["Security:Oidc:Authority"] = _issuer, ["Security:Oidc:Audience"] = Audience, ["Security:Oidc:RequireHttpsMetadata"] = "false",
        }));
    }

    public async Task DisposeAsync()
    {
        _service?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both).</summary>
    public void Dispose()
    {
        _repo.Dispose();
        _key.Dispose();
        _forger.Dispose();
    }

    [Fact]
    public async Task AnApproverWithAValidTokenApprovesUnderTheNameInItsToken()
    {
        var client = _service!.CreateClient();
        var id = await ProposeAsync(client);

        using var approve = await SendAsync(client, $"/api/v1/proposals/{id}/approve", Token("wang.fang", ["approver"]));

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Contains("\"approvedBy\":[\"wang.fang\"]", await approve.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("wang.fang", _repo.Git("log", "-1", "--format=%an", "lifecycle").Trim());
    }

    [Fact]
    public async Task AForgedExpiredOrWronglyAudiencedTokenIsRefusedAndNothingIsWritten()
    {
        var client = _service!.CreateClient();
        var id = await ProposeAsync(client);
        var lifecycle = _repo.Git("rev-parse", "lifecycle").Trim();

        foreach (var (what, token) in new[]
        {
            ("forged", Token("wang.fang", ["approver"], signer: _forger)),
            ("expired", Token("wang.fang", ["approver"], expires: DateTime.UtcNow.AddMinutes(-10))),
            ("another audience", Token("wang.fang", ["approver"], audience: "another-service")),
            ("another issuer", Token("wang.fang", ["approver"], issuer: "https://elsewhere.example")),
            ("not a token", "not.a.token"),
        })
        {
            using var refused = await SendAsync(client, $"/api/v1/proposals/{id}/approve", token);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)refused.StatusCode}");
        }
        using var author = await SendAsync(client, $"/api/v1/proposals/{id}/approve", Token("li.wei", ["author"]));
        Assert.Equal(HttpStatusCode.Forbidden, author.StatusCode);

        Assert.Equal(lifecycle, _repo.Git("rev-parse", "lifecycle").Trim());
    }

    private static async Task<string> ProposeAsync(HttpClient client)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Rules, "replies.json")).Replace("上网功能已暂停", "上网功能暂停", StringComparison.Ordinal);
        var proposal = await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/proposals", ReleaseLifecycleTests.Alice,
            ReleaseLifecycleTests.Body("Shorter arrears reply", "replies.json", text), HttpStatusCode.Created);
        return proposal.GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private string Token(string name, string[] roles, RSA? signer = null, DateTime? expires = null, string audience = Audience, string? issuer = null)
    {
        var claims = new Dictionary<string, object> { ["preferred_username"] = name, ["roles"] = roles };
        var at = expires is { } e && e < DateTime.UtcNow ? e.AddHours(-1) : DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _issuer, Audience = audience, Claims = claims, IssuedAt = at, NotBefore = at, Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer ?? _key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
