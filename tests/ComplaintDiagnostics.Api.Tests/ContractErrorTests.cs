using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Bad input gets problem details naming the field, never a 500.</summary>
public sealed class ContractErrorTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static async Task<JsonElement> ExpectProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Windows front-desk tools start a UTF-8 body with a byte order mark: it is no part of the JSON, so the
    /// body is read as if it were not there (it used to be a 400 at its first byte). Chunked bodies too.</summary>
    [Theory]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"inArrears\":true}", false)]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"inArrears\":true}", true)]
    [InlineData("/api/v1/diagnose/batch", "[{\"complaintType\":\"data\",\"inArrears\":true}]", false)]
    [InlineData("/api/v1/follow-up", "{\"complaint\":{\"complaintType\":\"data\",\"receivedAt\":\"2026-11-28T09:00:00+08:00\"},\"now\":\"2026-11-28T09:10:00+08:00\"}", false)]
    public async Task ABodyStartingWithAByteOrderMarkIsRead(string url, string json, bool chunked)
    {
        // Two marks: a tool that added its own to a text that had one.
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(chunked ? System.Text.Encoding.UTF8.GetPreamble() : []).Concat(System.Text.Encoding.UTF8.GetBytes(json)).ToArray();
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _client.PostAsync(new Uri(url, UriKind.Relative), content);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"complaintType\":\"data\",")]
    [InlineData("{complaintType: data}")]
    [InlineData("")]
    public async Task MalformedJsonIsA400(string body)
    {
        var problem = await ExpectProblem(await _client.PostJsonAsync("/api/v1/diagnose", body), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("$", out _));
    }

    [Fact]
    public async Task TextThatIsNotUtf8IsRefusedUnderItsPathAsNotUtf8()
    {
        // 金桥 as GBK (BD F0 C7 C5), as a front desk's older system may send it: once "expected a string", though it is one.
        byte[] body = [.. "{\"complaintType\":\"coverage\",\"location\":{\"description\":\""u8, 0xBD, 0xF0, 0xC7, 0xC5, .. "\"}}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json") { CharSet = "GBK" };

        var problem = await ExpectProblem(await _client.PostAsync("/api/v1/diagnose", content), HttpStatusCode.BadRequest);

        Assert.StartsWith("the text is not UTF-8", problem.GetProperty("errors").GetProperty("location.description")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>A key a typo away from a contract name left that field unknown: "inArrear" was answered as if arrears
    /// were not stated, "progress.contactAt" escalated a ticket whose customer had been called. Now each is a 400 with the
    /// name meant, on every endpoint that reads a complaint; a client's own fields are still ignored.</summary>
    [Theory]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"inArrear\":true}", "inArrear", "inArrears")]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"in_arrears\":true}", "in_arrears", "inArrears")]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"coverage\",\"location\":{\"are\":\"urban\"}}", "location.are", "location.area")]
    [InlineData("/api/v1/follow-up", "{\"complaint\":{\"complaintType\":\"voice\",\"receivedAt\":\"2026-11-28T09:00:00+08:00\"},\"progress\":{\"contactAt\":\"2026-11-28T09:10:00+08:00\"}}", "progress.contactAt", "progress.contactedAt")]
    [InlineData("/api/v1/follow-up", "{\"complaint\":{\"complaintType\":\"voice\",\"receivedAt\":\"2026-11-28T09:00:00+08:00\",\"netwrok\":{}}}", "complaint.netwrok", "complaint.network")]
    public async Task AKeyATypoAwayFromAContractNameIsA400WithTheNameMeant(string path, string body, string key, string meant)
    {
        var problem = await ExpectProblem(await _client.PostJsonAsync(path, body), HttpStatusCode.BadRequest);

        Assert.Equal($"not a field of the contract; did you mean '{meant}'?", problem.GetProperty("errors").GetProperty(key)[0].GetString());
    }

    [Fact]
    public async Task AKeyATypoAwayIsRefusedInPlaceInABatchAndAClientsOwnFieldsAreIgnored()
    {
        var batch = """
            [ { "complaintType": "data", "biling": "ocs" },
              { "complaintType": "data", "customerName": "x", "serviceId": "s-1", "ticketNo": "7", "services": [], "Billing": "ocs" } ]
            """;

        using var response = await _client.PostJsonAsync("/api/v1/diagnose/batch", batch);
        var items = JsonSerializer.Deserialize<JsonElement[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("not a field of the contract; did you mean 'billing'?", items[0].GetProperty("errors").GetProperty("biling")[0].GetString());
        Assert.Equal("needsInfo", items[1].GetProperty("status").GetString());
        Assert.DoesNotContain("billing", items[1].GetProperty("missingFields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task AKeyThatIsNotUtf8IsPassedOverNotA500()
    {
        byte[] body = [.. "{\"complaintType\":\"data\",\"roam"u8, 0xF2, .. "ng\":\"local\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await _client.PostAsync("/api/v1/diagnose", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownEnumValueNamesTheFieldAndTheAllowedValues()
    {
        var problem = await ExpectProblem(
            await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("billing=\"prepaid\"")), HttpStatusCode.BadRequest);

        var message = problem.GetProperty("errors").GetProperty("billing")[0].GetString();
        Assert.Contains("'prepaid'", message, StringComparison.Ordinal);
        Assert.Contains("postpaid, ocs", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestedWrongTypeNamesTheRequestPath()
    {
        var problem = await ExpectProblem(
            await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("frontDeskChecks.restarted=\"yes\"")), HttpStatusCode.BadRequest);

        Assert.Equal("expected true or false.", problem.GetProperty("errors").GetProperty("frontDeskChecks.restarted")[0].GetString());
    }

    [Fact]
    public async Task MissingComplaintTypeIsA400()
    {
        var problem = await ExpectProblem(
            await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("complaintType=")), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("complaintType", out _));
    }

    [Theory]
    [InlineData("{\"complaintType\":\"data\"")]
    [InlineData("{\"complaintType\":\"data\",")]
    [InlineData("{\"complaintType\":\"data\", \"billing\": }")]
    [InlineData("{\"complaintType\":\"da")]
    public async Task AMalformedBodyIsReportedAsTheBodysNotAField(string body)
    {
        var problem = await ExpectProblem(await _client.PostJsonAsync("/api/v1/diagnose", body), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal(["$"], errors.EnumerateObject().Select(e => e.Name));
        Assert.StartsWith("the body is not complete, valid JSON", errors.GetProperty("$")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampWithoutOffsetIsRefused()
    {
        var problem = await ExpectProblem(
            await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("receivedAt=\"2026-11-28T09:00:00\"")), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("receivedAt", out _));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59+14:00")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+00:00")]
    [InlineData("0001-01-01T00:00:00+08:00")]
    [InlineData("2100-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    public async Task AReceivedAtWhoseDeadlinesCannotBeRepresentedIsA400NamingIt(string receivedAt)
    {
        var body = $$"""{"complaintType":"groupFault","customer":{"tier":"groupLocal"},"receivedAt":"{{receivedAt}}"}""";

        var single = await ExpectProblem(await _client.PostJsonAsync("/api/v1/diagnose", body), HttpStatusCode.BadRequest);
        using var batch = await _client.PostJsonAsync("/api/v1/diagnose/batch", $"[{body},{Complaint.Data()}]");
        var items = JsonSerializer.Deserialize<JsonElement>(await batch.Content.ReadAsStringAsync());

        // Well-formed each, so out of range, not malformed: 9999-12-31T23:59:59-14:00 read "expected an ISO-8601 timestamp".
        Assert.Equal(DiagnoseRequestValidation.OutOfRange, single.GetProperty("errors").GetProperty("receivedAt")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.True(items[0].GetProperty("errors").TryGetProperty("receivedAt", out _));
        Assert.Equal("diagnosed", items[1].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("2026-11-28T09:00:00+08:00", "2026-11-28T09:30:00+08:00")]
    [InlineData("2026-11-28T01:00:00Z", "2026-11-28T01:30:00+00:00")]
    [InlineData("2026-11-28t01:00:00z", "2026-11-28T01:30:00+00:00")]
    [InlineData("2026-11-28T09:00+08:00", "2026-11-28T09:30:00+08:00")]
    [InlineData("2026-11-28T09:00:00.5-05:00", "2026-11-28T09:30:00.5-05:00")]
    [InlineData("2026-11-28T09:00:00\\u002B08:00", "2026-11-28T09:30:00+08:00")]
    public async Task TimestampsWithAnOffsetAreReadInEveryIsoForm(string receivedAt, string contactBy)
    {
        // Written by hand: JsonNode would escape '+' as \u002B, and the plain form takes its own path.
        var body = $$"""{"complaintType":"groupFault","customer":{"tier":"groupLocal"},"receivedAt":"{{receivedAt}}"}""";

        using var response = await _client.PostJsonAsync("/api/v1/diagnose", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"contactBy\":\"{contactBy}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscapedEnumValueIsReadLikeThePlainOne()
    {
        using var response = await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Voice().Replace("\"voice\"", "\"\\u0076oice\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EnumValuesAreMatchedCaseInsensitivelyAndWrittenExactly()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice("complaintType=\"VOICE\"; networkType=\"lte\"; service=\"Voice\"; source=\"STORE\""));

        Assert.Equal(Priority.High, answer.Priority);
        using var response = await _client.PostJsonAsync("/api/v1/diagnose", Complaint.Voice("networkType=\"nr\""));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"route\":\"networkOptimization\"", raw, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"diagnosed\"", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"complaintType\":\"voice\"}", "complaintType")]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"data\",\"BILLING\":\"ocs\",\"billing\":\"postpaid\"}", "billing")]
    [InlineData("/api/v1/diagnose", "{\"complaintType\":\"voice\",\"location\":{\"area\":\"urban\",\"Area\":\"rural\"}}", "location.area")]
    [InlineData("/api/v1/follow-up", "{\"complaint\":{\"complaintType\":\"data\",\"receivedAt\":\"2026-11-28T09:00:00+08:00\"},"
        + "\"progress\":{\"postponements\":0,\"postponements\":3}}", "progress.postponements")]
    public async Task APropertyGivenTwiceIsA400NamingItInsteadOfAGuess(string url, string body, string path)
    {
        var problem = await ExpectProblem(await _client.PostJsonAsync(url, body), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal([path], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal("given more than once; send each property once.", errors.GetProperty(path)[0].GetString());
    }

    [Fact]
    public async Task ABatchItemWithAPropertyGivenTwiceGetsItsOwnProblem()
    {
        var batch = $"[{{\"complaintType\":\"data\",\"billing\":\"ocs\",\"billing\":\"postpaid\"}}, {Complaint.Data("inArrears=true")}]";

        using var response = await _client.PostJsonAsync("/api/v1/diagnose/batch", batch);
        var items = JsonSerializer.Deserialize<JsonElement[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(400, items[0].GetProperty("status").GetInt32());
        Assert.True(items[0].GetProperty("errors").TryGetProperty("billing", out _));
        Assert.Equal("ACCOUNT_ARREARS", items[1].GetProperty("cause").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ABatchItemNestedTooDeepGetsItsOwnProblem()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20));
        var batch = $"[{{\"complaintType\":\"data\",\"x\":{deep}}}, {Complaint.Data("inArrears=true")}]";

        using var response = await _client.PostJsonAsync("/api/v1/diagnose/batch", batch);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var items = JsonSerializer.Deserialize<JsonElement[]>(text)!;
        Assert.Equal(400, items[0].GetProperty("status").GetInt32());
        Assert.Contains("depth", items[0].GetProperty("errors").ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ACCOUNT_ARREARS", items[1].GetProperty("cause").GetProperty("code").GetString());
    }

    [Fact]
    public async Task OversizedBodyIsA413()
    {
        var huge = Complaint.Data($"ticketId=\"{new string('x', 70_000)}\"");

        await ExpectProblem(await _client.PostJsonAsync("/api/v1/diagnose", huge), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BatchAnswersInOrderWithAProblemInPlaceOfAnInvalidItem()
    {
        var batch = $"[{Complaint.Data("inArrears=true")}, {Complaint.Data("billing=\"prepaid\"")}, {Complaint.Group("customer.tier=\"groupLocal\"")}]";

        using var response = await _client.PostJsonAsync("/api/v1/diagnose/batch", batch);
        var items = JsonSerializer.Deserialize<JsonElement[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, items.Length);
        Assert.Equal("ACCOUNT_ARREARS", items[0].GetProperty("cause").GetProperty("code").GetString());
        Assert.Equal(400, items[1].GetProperty("status").GetInt32());
        Assert.True(items[1].GetProperty("errors").TryGetProperty("billing", out _));
        Assert.Equal("The request is not a valid complaint.", items[1].GetProperty("title").GetString());
        Assert.Equal("GROUP_SERVICE_FAULT", items[2].GetProperty("cause").GetProperty("code").GetString());
        Assert.Equal(items[0].GetProperty("rulesVersion").GetString(), items[2].GetProperty("rulesVersion").GetString());
    }

    /// <summary>A batch refused as a whole says so in its title, so that a client does not read it as one bad complaint;
    /// a bad item keeps the complaint's title, in place.</summary>
    [Theory]
    [InlineData("not an array")]
    [InlineData("not JSON")]
    [InlineData("too many items")]
    public async Task BatchRefusedAsAWholeIsA400TitledForTheBatch(string what)
    {
        var body = what switch
        {
            "not an array" => Complaint.Data(),
            "not JSON" => "[" + Complaint.Data() + ",",
            _ => "[" + string.Join(",", Enumerable.Repeat(Complaint.Data(), 1001)) + "]",
        };

        var problem = await ExpectProblem(await _client.PostJsonAsync("/api/v1/diagnose/batch", body), HttpStatusCode.BadRequest);

        Assert.Equal("The request is not a valid batch of complaints.", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$", out _));
    }

    [Fact]
    public async Task TicketIdIsEchoedAndEnglishRepliesFollowAcceptLanguage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnose")
        {
            Content = new StringContent(Complaint.Data("network.reproduced=false; network.activeAlarms=false; network.kpiAbnormal=false"), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9,zh-CN;q=0.5");

        using var response = await _client.SendAsync(request);
        var answer = JsonSerializer.Deserialize<DiagnoseResponse>(await response.Content.ReadAsStringAsync(), ContractJson.Options)!;

        Assert.Equal("T-data", answer.TicketId);
        Assert.Equal("en", answer.Reply.Language);
        Assert.StartsWith("We have checked", answer.Reply.Text, StringComparison.Ordinal);
        Assert.Equal("Network normal, problem not reproduced", answer.Cause.Label);
    }
}
