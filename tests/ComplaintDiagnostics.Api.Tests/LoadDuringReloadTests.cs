using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// Concurrent diagnose traffic on a loopback port while the rules folder is replaced 50 times, alternating
/// valid and broken edits. Bounded: 4 clients, stopping when the edits are done. Every answer must come
/// from an accepted version and say what that version says; no refused edit is ever served.
/// </summary>
public sealed class LoadDuringReloadTests() : TempRulesService(onLoopback: true)
{
    private const int Edits = 50;
    private const string Reply = "您的问题已提交网络维护部门进一步排查，处理完成后我们会及时与您联系。";

    [Fact]
    public async Task NoRequestFailsAndNoRefusedEditIsEverServed()
    {
        var dataFile = Rules.File("workflows/data.json");
        var repliesFile = Rules.File("replies.json");
        var data = await File.ReadAllTextAsync(dataFile);
        var replies = await File.ReadAllTextAsync(repliesFile);
        var accepted = new ConcurrentDictionary<string, string> { [RuleSources.ReadFolder(Rules.Path).Version] = "" };
        var refused = new ConcurrentDictionary<string, bool>();
        var answers = new ConcurrentQueue<(HttpStatusCode Status, string? Version, string? Text)>();

        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await Client.PostJsonAsync("/api/v1/diagnose", Complaint.Data());
                var body = await response.Content.ReadAsStringAsync();
                var answer = response.IsSuccessStatusCode ? JsonSerializer.Deserialize<DiagnoseResponse>(body, ContractJson.Options) : null;
                answers.Enqueue((response.StatusCode, answer?.RulesVersion, answer?.Reply.Text));
            }
        })).ToList();

        for (var edit = 1; edit <= Edits; edit++)
        {
            var valid = edit % 2 == 1;
            var marker = $"#{edit}";
            if (valid)
            {
                await File.WriteAllTextAsync(dataFile, data);
                await File.WriteAllTextAsync(repliesFile, replies.Replace(Reply, Reply + marker, StringComparison.Ordinal));
            }
            else
            {
                await File.WriteAllTextAsync(dataFile, data + "\n{ broken");
            }
            var version = RuleSources.ReadFolder(Rules.Path).Version;
            if (valid)
            {
                accepted[version] = marker;
            }
            else
            {
                refused[version] = true;
            }
            await HttpClientExtensions.Eventually(async () =>
                (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt").GetProperty("version").GetString() == version,
                HttpClientExtensions.ReloadDeadline, $"edit {edit} is processed");
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var all = answers.ToList();
        Assert.True(all.Count > Edits, $"only {all.Count} requests were made");
        Assert.All(all, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.DoesNotContain(all, a => refused.ContainsKey(a.Version!));
        Assert.All(all, a =>
        {
            Assert.True(accepted.TryGetValue(a.Version!, out var marker), $"version {a.Version} was never accepted");
            Assert.Equal(Reply + marker, a.Text);
        });
        Assert.True(all.Select(a => a.Version).Distinct().Count() > 5, "the traffic saw too few versions to mean anything");
        var status = await Client.GetJsonAsync("/api/v1/rules/status");
        Assert.Equal(Edits / 2, status.GetProperty("refusedCount").GetInt32());
    }

}
