using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// The service as an operator runs it (its own process, a real port) started on a folder with a typo: it must
/// stay up and explain, not crash-loop. The red-team's restart on such a folder exited 134; in Kubernetes that
/// is every replica down after one typo.
/// </summary>
public sealed class BrokenStartProcessTests
{
    [Fact]
    public async Task ProcessStaysUpNotReadyExplainsAndExitsCleanlyOnSigterm()
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        rules.Edit(HostileExpressions.File, HostileExpressions.ReplacedCondition,
            "\"Expression\": \"ticket.Unknown(\\\"billing\\\").Contain(\\\"billing\\\")\"");
        var (service, ready, statusText) = await ServiceProcess.StartOnAsync(rules.Path);
        using var started = service;
        var status = JsonSerializer.Deserialize<JsonElement>(statusText);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        var problem = Assert.Single(status.GetProperty("lastAttempt").GetProperty("problems").EnumerateArray());
        Assert.Equal(HostileExpressions.Rule, problem.GetProperty("rule").GetString());
        Assert.Contains("Did you mean 'Contains'?", problem.GetProperty("message").GetString(), StringComparison.Ordinal);

        await service.SigtermAsync();
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, service.ExitCode);
        Assert.DoesNotContain("Unhandled exception", await service.Output + await service.Errors, StringComparison.Ordinal);
    }

    /// <summary>A misspelt setting (<c>Rules__Pth</c> in a Deployment) left the rules folder at its default, and the
    /// service served whatever rules sat there, ready and unremarked. A setting is the operator's, not a NOC edit made
    /// live: the start stops and names the key, as a value out of range already did (a rollout then waits on it).</summary>
    /// <summary>The same for a key deeper in a section (<c>Security__Userz__0__Name</c>) and for a value out of range: it
    /// used to end in an unhandled exception, a stack trace and exit 134. Now one line naming the setting, the one meant
    /// and the section's settings, and exit code 1.</summary>
    [Theory]
    [InlineData("Rules__Pth", "The setting 'Rules:Pth' (environment variable Rules__Pth) is not one the service has; did you mean 'Rules:Path'?")]
    [InlineData("Security__Userz__0__Name", "The setting 'Security:Userz' (environment variable Security__Userz) is not one the service has")]
    [InlineData("Security__DiagnoseKey__0", "did you mean 'Security:DiagnoseKeys'? The settings of the Security section are: DiagnoseKeys, OperationsKeys,")]
    [InlineData("Rules__PollSeconds", "The Rules settings are not valid: Rules:PollSeconds: The field PollSeconds must be between 0 and 3600.")]
    [InlineData("Security__DiagnoseKeys", "The setting 'Security:DiagnoseKeys' is a list: give its items as Security:DiagnoseKeys:0")]
    [InlineData("Security__DiagnoseKeys__x", "The setting 'Security:DiagnoseKeys:x' is no item of the list")]
    [InlineData("Shutdown__DrainSeconds", "Shutdown:DrainSeconds 'NaN' is not a number in range")]
    [InlineData("Rules__Source", "Rules:Source is release but Rules:Repository is empty")]
    [InlineData("Security__Users__0__Name", "Security:Users:0:Key must be at least 16 characters")]
    [InlineData("Security__Users__0__Roles__0", "The setting 'Security:Users:0:Roles' is one value, not a list: give it as Security:Users:0:Roles")]
    public async Task AMisspeltOrOutOfRangeSettingStopsTheStartInOneLine(string key, string expected)
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            [key] = key switch { "Rules__PollSeconds" => "-1", "Shutdown__DrainSeconds" => "NaN", "Rules__Source" => "release", _ => RepoPaths.Rules },
        });

        await service.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var said = await service.Output + await service.Errors;
        Assert.Equal(1, service.ExitCode);
        Assert.Contains(expected, said, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", said, StringComparison.Ordinal);
    }
}

/// <summary>With <c>Rules:LastGoodPath</c>, a start on a refused folder serves the saved copy of the last
/// accepted rules, and says so. It reads a gauge, which every service alive in the process reports under the same
/// name: it runs with the other meter tests, alone.</summary>
[Collection(ProcessMeters.Name)]
public sealed class LastGoodCopyTests
{
    [Fact]
    public async Task AStartOnARefusedFolderServesTheLastAcceptedCopyAndSaysSo()
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        var copy = Path.Combine(rules.Path, "..", "cd-last-good-" + Guid.NewGuid().ToString("N") + ".json");
        var settings = new Dictionary<string, string> { ["Rules:LastGoodPath"] = copy };
        string good;
        using (var first = ServiceFactory.Serving(rules.Path, settings))
        {
            good = (await first.CreateClient().DiagnoseAsync(Complaint.Data("inArrears=true"))).RulesVersion;
        }
        rules.Edit(HostileExpressions.File, HostileExpressions.ReplacedCondition, "\"Expression\": \"ticket.InArears == true\"");

        try
        {
            using var second = ServiceFactory.Serving(rules.Path, settings);
            using var client = second.CreateClient();
            var answer = await client.DiagnoseAsync(Complaint.Data("inArrears=true"));
            using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            var status = await client.GetJsonAsync("/api/v1/rules/status");
            var metrics = await client.ScrapeAsync();

            Assert.Equal(good, answer.RulesVersion);
            Assert.Equal("FIRST", answer.Cause.Code);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(status.GetProperty("servingLastGoodCopy").GetBoolean());
            Assert.False(status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean());
            Assert.Contains("InArears", status.GetProperty("lastAttempt").GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, metrics.Sum("complaintdiagnostics_rules_serving_last_good_copy"));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>With the defaults (README's first command), a restart on a broken folder used to answer 503 to every
    /// diagnose: the last-good copy was off unless configured. It is now kept by default under the working directory.</summary>
    [Fact]
    public async Task WithTheDefaultsARestartOnABrokenFolderServesTheLastGoodRules()
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        var workingDirectory = Directory.CreateTempSubdirectory("cd-cwd-").FullName;
        var environment = new Dictionary<string, string> { ["Rules__Path"] = rules.Path, ["Shutdown__DrainSeconds"] = "0" };
        try
        {
            string good;
            using (var first = ServiceProcess.Start(environment, workingDirectory: workingDirectory))
            {
                await first.WaitForAsync("/readyz");
                using var client = first.CreateClient();
                good = (await client.DiagnoseAsync(Complaint.Data("inArrears=true"))).RulesVersion;
                await first.SigtermAsync();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            Assert.True(File.Exists(Path.Combine(workingDirectory, "data", "last-good-rules.json")));
            rules.Edit(HostileExpressions.File, HostileExpressions.ReplacedCondition, "\"Expression\": \"ticket.InArears == true\"");

            using var second = ServiceProcess.Start(environment, workingDirectory: workingDirectory);
            await second.WaitForAsync("/readyz");
            using var again = second.CreateClient();
            var answer = await again.DiagnoseAsync(Complaint.Data("inArrears=true"));
            var status = await again.GetJsonAsync("/api/v1/rules/status");

            Assert.Equal(good, answer.RulesVersion);
            Assert.True(status.GetProperty("servingLastGoodCopy").GetBoolean());
            await second.SigtermAsync();
            await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}
