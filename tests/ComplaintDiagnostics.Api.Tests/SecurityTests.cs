using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

public sealed class ApiKeyTests : IDisposable
{
    private readonly ServiceFactory _factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
    {
        ["Security:DiagnoseKeys:0"] = "front-desk-key",
        ["Security:OperationsKeys:0"] = "noc-key",
    });

    public void Dispose() => _factory.Dispose();

    private Task<HttpResponseMessage> Post(string url, string body, string? key) => _factory.CreateClient().PostWithKeyAsync(url, body, key);

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("front-desk-ke", HttpStatusCode.Unauthorized)]
    [InlineData("noc-key", HttpStatusCode.Unauthorized)]
    [InlineData("front-desk-key", HttpStatusCode.OK)]
    public async Task DiagnoseNeedsADiagnoseKey(string? key, HttpStatusCode status)
    {
        using var response = await Post("/api/v1/diagnose", Complaint.Data(), key);

        Assert.Equal(status, response.StatusCode);
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("front-desk-key", HttpStatusCode.Unauthorized)]
    [InlineData("noc-key", HttpStatusCode.OK)]
    public async Task ValidateNeedsAnOperationsKey(string key, HttpStatusCode status)
    {
        using var response = await Post("/api/v1/rules/validate", """{"files":{"tests/x.json":"{\"scenarios\":[]}"}}""", key);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyRuleAndHealthEndpointsStayOpen()
    {
        var client = _factory.CreateClient();
        foreach (var url in new[] { "/api/v1/rules", "/healthz", "/readyz" })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The load status and the history quote the rule files (a refused edit's findings, commit messages): once
    /// keys are configured they need an operations key, as validate does.</summary>
    [Theory]
    [InlineData("/api/v1/rules/status")]
    [InlineData("/api/v1/rules/history")]
    public async Task StatusAndHistoryNeedAnOperationsKey(string url)
    {
        var client = _factory.CreateClient();
        using var without = await client.GetAsync(new Uri(url, UriKind.Relative));
        using var withDeskKey = await client.GetWithKeyAsync(url, "front-desk-key");
        using var withNocKey = await client.GetWithKeyAsync(url, "noc-key");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withDeskKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNocKey.StatusCode);
    }

    [Fact]
    public async Task KeysNeverAppearInLogs()
    {
        using var _ = await Post("/api/v1/diagnose", Complaint.Data(), "front-desk-key");
        using var __ = await Post("/api/v1/diagnose", Complaint.Data(), "wrong-key-value");

        Assert.DoesNotContain(_factory.Logs.Lines, l => l.Contains("front-desk-key", StringComparison.Ordinal) || l.Contains("wrong-key-value", StringComparison.Ordinal));
    }
}

public sealed class RateLimitTests : IDisposable
{
    private readonly ServiceFactory _factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
    {
        ["Security:DiagnosePerMinute"] = "3",
        ["Security:OperationsPerMinute"] = "2",
    });

    public void Dispose() => _factory.Dispose();

    private static async Task<HttpStatusCode> Send(HttpClient client, string url, string body, string? key = null)
    {
        using var response = await client.PostWithKeyAsync(url, body, key);
        return response.StatusCode;
    }

    [Fact]
    public async Task AClientOverItsLimitGets429WithRetryAfter()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostJsonAsync("/api/v1/diagnose", Complaint.Data());
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await client.PostJsonAsync("/api/v1/diagnose", Complaint.Data());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task ARandomKeyPerRequestDoesNotDodgeTheLimitWhenNoKeysAreConfigured()
    {
        var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add(await Send(client, "/api/v1/diagnose", Complaint.Data(), key: Guid.NewGuid().ToString()));
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ValidateAndHistoryHaveTheirOwnLimit()
    {
        var client = _factory.CreateClient();
        const string proposal = """{"files":{"tests/x.json":"{\"scenarios\":[]}"}}""";

        var first = await Send(client, "/api/v1/rules/validate", proposal);
        var second = await Send(client, "/api/v1/rules/validate", proposal);
        using var history = await client.GetAsync(new Uri("/api/v1/rules/history", UriKind.Relative));
        var diagnose = await Send(client, "/api/v1/diagnose", Complaint.Data());

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], [first, second]);
        Assert.Equal(HttpStatusCode.TooManyRequests, history.StatusCode);
        Assert.Equal(HttpStatusCode.OK, diagnose);
    }
}

/// <summary>With keys configured, a client is its key: one key's burst does not limit another's, an invalid key
/// is counted by address, and operations need an operations key even when only diagnose keys are set.</summary>
public sealed class KeyedRateLimitTests : IDisposable
{
    private readonly ServiceFactory _factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
    {
        ["Security:DiagnoseKeys:0"] = "desk-a",
        ["Security:DiagnoseKeys:1"] = "desk-b",
        ["Security:DiagnosePerMinute"] = "2",
    });

    public void Dispose() => _factory.Dispose();

    private async Task<HttpStatusCode> Post(string url, string body, string? key)
    {
        using var response = await _factory.CreateClient().PostWithKeyAsync(url, body, key);
        return response.StatusCode;
    }

    [Fact]
    public async Task EachKeyHasItsOwnBudget()
    {
        var a = new[] { await Post("/api/v1/diagnose", Complaint.Data(), "desk-a"), await Post("/api/v1/diagnose", Complaint.Data(), "desk-a"), await Post("/api/v1/diagnose", Complaint.Data(), "desk-a") };
        var b = await Post("/api/v1/diagnose", Complaint.Data(), "desk-b");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], a);
        Assert.Equal(HttpStatusCode.OK, b);
    }

    [Fact]
    public async Task OperationsAreClosedWithoutAnOperationsKeyOnceAnyKeyIsSet()
    {
        var validate = await Post("/api/v1/rules/validate", """{"files":{"tests/x.json":"{\"scenarios\":[]}"}}""", "desk-a");

        Assert.Equal(HttpStatusCode.Unauthorized, validate);
    }
}

/// <summary>The start-up warm-up sends its examples through the service's own socket with the first diagnose
/// key, yet leaves that key's budget untouched.</summary>
public sealed class WarmupBudgetTests
{
    [Fact]
    public async Task TheWarmupSpendsNoClientsBudget()
    {
        using var factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
        {
            ["Security:DiagnoseKeys:0"] = "desk-a",
            ["Security:DiagnosePerMinute"] = "3",
        });
        var port = Loopback.FreePort();
        factory.UseKestrel(port);
        factory.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await HttpClientExtensions.Eventually(
            async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "ready");
        Assert.Contains(factory.Logs.Lines, l => l.Contains("Diagnosed ticket warm-up", StringComparison.Ordinal));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostWithKeyAsync("/api/v1/diagnose", Complaint.Data(), "desk-a");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}

public sealed class ObservabilityTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task RequestIdIsHonouredEchoedAndUsedAsTraceId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnose")
        {
            Content = new StringContent(Complaint.Data("billing=\"x\""), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "desk-42.7");

        using var response = await factory.CreateClient().SendAsync(request);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal("desk-42.7", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("desk-42.7", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task RequestIdIsGeneratedWhenMissingOrUnsafe()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "<script>");

        using var response = await factory.CreateClient().SendAsync(request);
        using var another = await factory.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));

        var id = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.NotEqual(id, another.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task PhoneNumbersNeverAppearInFullInLogs()
    {
        var client = factory.CreateClient();
        await client.DiagnoseAsync(Complaint.Data("ticketId=\"13812341234-0001\"; customer.msisdn=\"13812341234\""));
        using var bad = await client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("ticketId=\"13812341234\"; customer.msisdn=\"13812341234\"; billing=\"x\""));

        await factory.Logs.WaitForAsync(l => l.Contains("Diagnosed ticket 138****1234-0001", StringComparison.Ordinal), "the audit line");
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("13812341234", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("138-1234-5678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("T.138.1234.5678")]
    [InlineData("138\u200B12345678")]
    [InlineData("１３８１２３４５６７８")]
    [InlineData("(138) 1234\u00A05678")]
    public async Task NoSpellingOfAPhoneNumberReachesTheLog(string spelled)
    {
        var client = factory.CreateClient();
        var id = JsonSerializer.Serialize("desk-" + System.Text.RegularExpressions.Regex.Unescape(spelled));
        await client.DiagnoseAsync(Complaint.Data($"ticketId={id}; customer.msisdn={id}"));

        static string Digits(string line) => new([.. line.Where(char.IsDigit).Select(c => (char)('0' + (int)char.GetNumericValue(c)))]);
        await factory.Logs.WaitForAsync(
            l => l.Contains("Diagnosed ticket desk-", StringComparison.Ordinal) && l.Contains("138****5678", StringComparison.Ordinal), "the audit line");
        Assert.DoesNotContain(factory.Logs.Lines, l => Digits(l).Contains("13812345678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATicketIdCannotForgeALogLineOrEscapeTheTerminal()
    {
        var client = factory.CreateClient();
        await client.DiagnoseAsync(Complaint.Data("ticketId=\"10010-20261128-0007\\nfail: FORGED\\u001b[31m\""));

        await factory.Logs.WaitForAsync(l => l.Contains("10010-20261128-0007", StringComparison.Ordinal), "the audit line");
        var line = Assert.Single(factory.Logs.Lines, l => l.Contains("10010-20261128-0007", StringComparison.Ordinal));
        Assert.Contains("Diagnosed ticket 10010-20261128-0007fail: FORGED[31m with rules", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line.Split(" => ")[0]);
        Assert.DoesNotContain('\u001b', line);
    }

    [Fact]
    public async Task AuditLineNamesVersionCauseAndRequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnose")
        {
            Content = new StringContent(Complaint.Data("ticketId=\"AUD-1\"; inArrears=true"), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "audit-req-1");
        using var response = await factory.CreateClient().SendAsync(request);

        await factory.Logs.WaitForAsync(l => l.Contains("ticket AUD-1", StringComparison.Ordinal), "the audit line");
        var line = Assert.Single(factory.Logs.Lines, l => l.Contains("ticket AUD-1", StringComparison.Ordinal));
        Assert.Contains("ACCOUNT_ARREARS by D1_AccountInArrears", line, StringComparison.Ordinal);
        // In the line itself, not only in a scope: the shipped console formatters do not show scopes.
        Assert.Contains("(request audit-req-1)", line.Split(" => ")[0], StringComparison.Ordinal);
    }
}

/// <summary>A follow-up evaluates the complaint as a diagnosis does, so it leaves its audit line too (it left nothing
/// with its ticket id in the log), with the escalation that decided it.</summary>
public sealed class FollowUpAuditTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task AFollowUpWritesItsAuditLineWithTheEscalation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/follow-up")
        {
            Content = new StringContent("""{"complaint":{"ticketId":"FUP-138 1234 5678","receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"groupFault","customer":{"tier":"groupProvincial"}},"now":"2026-11-28T17:30:00+08:00"}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "follow-up-req-1");
        using var response = await factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var line = await factory.Logs.WaitForAsync(l => l.Contains("Followed up ticket FUP-", StringComparison.Ordinal), "the follow-up's audit line");

        Assert.Contains("Followed up ticket FUP-138****5678 with rules ", line, StringComparison.Ordinal);
        Assert.Contains(": GROUP_SERVICE_FAULT, escalation level 3 by E1_ResolveLongOverdue in ", line, StringComparison.Ordinal);
        Assert.Contains("(request follow-up-req-1)", line, StringComparison.Ordinal);
    }
}

/// <summary>A rule that throws for some input, and a rule too slow for the time budget.</summary>
public sealed class HostileRuleTests() : TempRulesService
{
    [Fact]
    public async Task RuleThatThrowsForSomeInputIsATraceErrorNotA500()
    {
        Rules.Edit("workflows/data.json", "\"When\": { \"network.kpiAbnormal\": true }", "\"Expression\": \"10 / (ticket.Location.SignalBars ?? 1) > 0 && ticket.Network.KpiAbnormal == true\"");
        var edited = Core.Rules.RuleSources.ReadFolder(Rules.Path).Version;
        await HttpClientExtensions.Eventually(async () => (await Client.DiagnoseAsync(Complaint.Data())).RulesVersion == edited,
            HttpClientExtensions.ReloadDeadline, "the edit is served");

        var answer = await Client.DiagnoseAsync(Complaint.Data("location.signalBars=0"));
        var metrics = await Client.ScrapeAsync();

        var failed = Assert.Single(answer.Trace.Evaluated, e => e.Error is not null);
        Assert.Equal("D8_NetworkKpiDegraded", failed.Rule);
        Assert.False(failed.Matched);
        Assert.Equal("NETWORK_INVESTIGATION", answer.Cause.Code);
        Assert.Equal(1, metrics.Sum("complaintdiagnostics_rule_errors_total", "workflow=\"Data\"", "rule=\"D8_NetworkKpiDegraded\""));
    }

    [Fact]
    public async Task RuleThatCallsGetTypeIsRefusedAndTheServiceKeepsServing()
    {
        var before = await Client.DiagnoseAsync(Complaint.Data());
        Rules.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"Expression\": \"ticket.GetType().Assembly.FullName != null\"");

        JsonElement status = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            status = await Client.GetJsonAsync("/api/v1/rules/status");
            return !status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean();
        }, HttpClientExtensions.ReloadDeadline, "the edit is refused");

        var problem = Assert.Single(status.GetProperty("lastAttempt").GetProperty("problems").EnumerateArray());
        Assert.Equal("D1_AccountInArrears", problem.GetProperty("rule").GetString());
        Assert.Contains("GetType", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.RulesVersion, (await Client.DiagnoseAsync(Complaint.Data())).RulesVersion);
    }
}

/// <summary>A rule cannot be slow (the allow-list bounds every expression; the hostile-rule tests show a slow one
/// refused at load), so the budget is shown on what can still add up: a whole batch has one budget.</summary>
public sealed class TimeBudgetTests : IDisposable
{
    private readonly ServiceFactory _factory = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string>
    {
        ["Diagnose:BatchTimeBudgetMilliseconds"] = "1",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ABatchPastItsBudgetAnswers503ProblemDetails()
    {
        // A thousand diagnoses take milliseconds, well past a 1 ms budget for the whole batch.
        var batch = "[" + string.Join(",", Enumerable.Repeat(Complaint.Data(), 1000)) + "]";

        using var response = await _factory.CreateClient().PostJsonAsync("/api/v1/diagnose/batch", batch);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("time budget", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

