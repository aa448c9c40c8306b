using System.Net;
using System.Text;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// Thousands of broken and mutated requests (seeded, so a failure reproduces): every answer must be a 2xx,
/// or a 4xx with problem details. A 5xx, or a 4xx without problem details, fails with the body that caused it.
/// </summary>
public sealed class FuzzTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const int Cases = 3000;

    private static readonly string[] Seeds =
    [
        Complaint.Data(), Complaint.Voice(), Complaint.Coverage("location.area=\"urban\"; location.indoor=true"),
        Complaint.Group("customer.tier=\"groupLocal\"; customer.msisdn=\"13812341234\""),
        Complaint.Data("frontDeskChecks.restarted=false; network.activeAlarms=true; terminal.generation=\"5G\""),
    ];

    private static readonly string[] Oddities =
    [
        "null", "true", "-1", "1e309", "99999999999999999999999999", "\"\"", "[]", "{}", "\"\\u0000\"", "\"\\ud800\"",
        "\"𝕯𝖆𝖙𝖆\"", "\"ＤＡＴＡ\"", "\"data\\u200b\"", "NaN", "\"2026-13-45T99:99:99+25:00\"", "0.5", "\"" + new string('x', 5000) + "\"",
        new string('[', 200) + new string(']', 200), "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101),
    ];

    [Fact]
    public async Task NoMutatedRequestGetsA5xxOrABareError()
    {
        var random = new Random(20261128);
        var client = factory.CreateClient();
        var failures = new List<string>();
        var byStatus = new Dictionary<int, int>();
        for (var i = 0; i < Cases && failures.Count < 5; i++)
        {
            var batch = i % 10 == 0;
            var followUp = i % 10 == 5;
            var body = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            if (batch)
            {
                body = $"[{body},{Seeds[0]}]";
            }
            if (followUp)
            {
                // The follow-up wraps a (mutated) complaint with a time and progress, themselves mutated at times.
                body = Mutate(random, $$$"""{"complaint":{{{body}}},"now":"2026-11-28T13:45:00+08:00","progress":{"contactedAt":"2026-11-28T09:50:00+08:00","postponements":1}}""");
            }
            using var response = await client.PostAsync(
                new Uri(batch ? "/api/v1/diagnose/batch" : followUp ? "/api/v1/follow-up" : "/api/v1/diagnose", UriKind.Relative),
                new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { { "Content-Type", "application/json" } } });
            var status = (int)response.StatusCode;
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            if (status >= 500 || (status >= 400 && !problem) || status < 200)
            {
                failures.Add($"{status} for {(body.Length > 300 ? body[..300] + "…" : body)}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
        // The mutations must reach both sides: accepted oddities and refused ones (a key a typo away from a contract name
        // is refused since session 14, so fewer mutated bodies are accepted than before).
        Assert.True(byStatus.GetValueOrDefault(200) > 200, $"answers by status: {string.Join(", ", byStatus)}");
        Assert.True(byStatus.GetValueOrDefault(400) > 1000, $"answers by status: {string.Join(", ", byStatus)}");
    }

    private static string Mutate(Random random, string json) => random.Next(8) switch
    {
        0 => json[..random.Next(json.Length)],                                                   // truncated
        1 => ReplaceAt(json, random.Next(json.Length), (char)random.Next(0x20, 0x7f)),           // one character flipped
        2 => ReplaceValue(random, json, Oddities[random.Next(Oddities.Length)]),                  // odd value in a field
        3 => json.Insert(random.Next(json.Length), Oddities[random.Next(Oddities.Length)]),      // garbage inserted
        4 => json.Replace("\"", random.Next(2) == 0 ? "'" : "", StringComparison.Ordinal),       // broken quoting
        5 => json.Insert(1, "\"complaintType\":\"voice\","),                                      // duplicate key
        6 => ReplaceValue(random, json, "\"" + (char)random.Next(0x4e00, 0x9fff) + "\""),        // unicode enum value
        _ => new string('{', random.Next(1, 300)),                                                // deep or unbalanced nesting
    };

    private static string ReplaceAt(string text, int index, char c) => string.Concat(text.AsSpan(0, index), c.ToString(), text.AsSpan(index + 1));

    /// <summary>Replaces the value after a random "key": with <paramref name="value"/>.</summary>
    private static string ReplaceValue(Random random, string json, string value)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        var at = colons[random.Next(colons.Count)] + 1;
        var end = at;
        var depth = 0;
        while (end < json.Length && (depth > 0 || (json[end] != ',' && json[end] != '}')))
        {
            depth += json[end] is '{' or '[' ? 1 : json[end] is '}' or ']' ? -1 : 0;
            end++;
        }
        return string.Concat(json.AsSpan(0, at), value, json.AsSpan(end));
    }
}
