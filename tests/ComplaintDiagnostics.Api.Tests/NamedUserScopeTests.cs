using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// A named person's key (Security:Users) reads and checks what the pages need (validate, the record's overview and
/// performance) but is no operations key: it neither writes confirmed causes (which a proposal's evidence is judged on)
/// nor erases the record.
/// </summary>
public sealed class NamedUserScopeTests : IDisposable
{
    private const string Operations = "noc-operations-key-5d1c";
    private const string Author = "alice-key-3f9a2c71d0b84e55";
    private readonly TempRulesFolder _rules = new();
    private readonly ServiceFactory _service;

    public NamedUserScopeTests() => _service = ServiceFactory.Serving(_rules.Path, new Dictionary<string, string>
    {
        ["Security:OperationsKeys:0"] = Operations,
        ["Security:Users:0:Name"] = "alice", ["Security:Users:0:Key"] = Author, ["Security:Users:0:Roles"] = "author",
    });

    public void Dispose()
    {
        _service.Dispose();
        _rules.Dispose();
    }

    [Theory]
    [InlineData("GET", "/api/v1/decisions/overview?days=7", null, HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/rules/performance?days=7", null, HttpStatusCode.OK)]
    [InlineData("POST", "/api/v1/rules/validate", """{"files":{"replies.json":null}}""", HttpStatusCode.OK)]
    [InlineData("POST", "/api/v1/outcomes", """[{"ticketId":"T-1","confirmedCause":"ACCOUNT_ARREARS"}]""", HttpStatusCode.Unauthorized)]
    [InlineData("DELETE", "/api/v1/decisions?ticketId=T-1", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/decisions?limit=1", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/tmf621/events?limit=1", null, HttpStatusCode.Unauthorized)]
    public async Task ANamedPersonsKeyReadsAndChecksButNeitherWritesNorErasesTheRecord(string method, string url, string? body, HttpStatusCode expected)
    {
        using var client = _service.CreateClient();
        using var asPerson = Request(method, url, body, Author);
        Assert.Equal(expected, (await client.SendAsync(asPerson)).StatusCode);
        using var asOperations = Request(method, url, body, Operations);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.SendAsync(asOperations)).StatusCode);
        using var asNobody = Request(method, url, body, null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(asNobody)).StatusCode);
    }

    private static HttpRequestMessage Request(string method, string url, string? body, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }
}
