using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Scenarios;

namespace ComplaintDiagnostics.Cli.Commands;

internal sealed record ProposeOptions(DirectoryInfo Rules, string Service, string Title, string? Description);

/// <summary>
/// <c>propose</c>: sends a rules folder to a service in release mode as a proposal (<c>POST /api/v1/proposals</c>): every
/// rule file and scenario file of the folder; the service keeps those that differ from the active release, checks them
/// (the same gate as <c>check</c>, on its recorded complaints) and names the proposal. The person is the one whose named key
/// is in <c>COMPLAINT_DIAGNOSTICS_KEY</c> or whose bearer token is in <c>COMPLAINT_DIAGNOSTICS_TOKEN</c>.
/// Exit 0: proposed and its check passes; 1: proposed, its check fails (see the findings), or refused; 2: not sent.
/// </summary>
internal sealed class ProposeCommand(ConsoleOutput console)
{
    public async Task<int> RunAsync(ProposeOptions options, CancellationToken cancellationToken)
    {
        if (!options.Rules.Exists)
        {
            await console.Error.WriteLineAsync($"The rules folder '{options.Rules.FullName}' does not exist.");
            return ExitCodes.Usage;
        }
        if (!Uri.TryCreate(options.Service, UriKind.Absolute, out var service) || service.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync($"--service must be the service's address, e.g. http://localhost:5080, not '{options.Service}'.");
            return ExitCodes.Usage;
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, text) in (await RuleSources.ReadFolderAsync(options.Rules.FullName, cancellationToken: cancellationToken)).Files)
            {
                files[name] = text;
            }
            foreach (var (name, text) in await ScenarioFiles.ReadFolderAsync(options.Rules.FullName, cancellationToken: cancellationToken))
            {
                files[name] = text;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"Cannot read the rules folder: {ex.Message}");
            return ExitCodes.Usage;
        }

        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromMinutes(5) };
        if (Environment.GetEnvironmentVariable("COMPLAINT_DIAGNOSTICS_TOKEN") is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (Environment.GetEnvironmentVariable("COMPLAINT_DIAGNOSTICS_KEY") is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        else
        {
            await console.Error.WriteLineAsync("Who proposes? Put your named key in COMPLAINT_DIAGNOSTICS_KEY or your bearer token in COMPLAINT_DIAGNOSTICS_TOKEN.");
            return ExitCodes.Usage;
        }
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("/api/v1/proposals",
                new { title = options.Title, description = options.Description, files }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await console.Error.WriteLineAsync($"The service at {service} did not answer: {ex.Message}");
            return ExitCodes.Usage;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                await console.Error.WriteLineAsync($"The service answered {(int)response.StatusCode} without JSON.");
                return ExitCodes.Findings;
            }
            if (!response.IsSuccessStatusCode)
            {
                await console.Error.WriteLineAsync($"Refused ({(int)response.StatusCode}): {Text(json, "title")} {Text(json, "detail")}".TrimEnd());
                if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    foreach (var error in errors.EnumerateObject())
                    {
                        foreach (var message in error.Value.EnumerateArray())
                        {
                            await console.Error.WriteLineAsync($"  {error.Name}: {message.GetString()}");
                        }
                    }
                }
                return ExitCodes.Findings;
            }
            return await SummaryAsync(json);
        }
    }

    private async Task<int> SummaryAsync(JsonElement proposal)
    {
        var check = proposal.GetProperty("check");
        var replay = check.GetProperty("replay");
        await console.Out.WriteLineAsync($"Proposal {Text(proposal, "id")} by {Text(proposal, "author")} on release {proposal.GetProperty("baseRelease").GetInt32()}: "
            + string.Join(", ", proposal.GetProperty("commits")[0].GetProperty("files").EnumerateArray().Select(f => f.GetString())));
        await console.Out.WriteLineAsync($"  lint       {check.GetProperty("problems").GetArrayLength()} finding(s)");
        await console.Out.WriteLineAsync($"  scenarios  {check.GetProperty("scenariosPassed").GetInt32()} passed, {check.GetProperty("scenariosFailed").GetArrayLength()} failed"
            + string.Concat(check.GetProperty("scenariosFailed").EnumerateArray().Select(s => $"{Environment.NewLine}    failed: {s.GetString()}")));
        await console.Out.WriteLineAsync(replay.TryGetProperty("unavailable", out var why) && why.ValueKind == JsonValueKind.String
            ? $"  replay     not run: {why.GetString()}"
            : $"  replay     {replay.GetProperty("tickets").GetInt32()} recorded tickets with a confirmed cause: {replay.GetProperty("changed").GetInt32()} changed, "
                + $"{replay.GetProperty("fixed").GetInt32()} fixed, {replay.GetProperty("broken").GetInt32()} broken, {replay.GetProperty("movedToNewCause").GetInt32()} moved to a new cause");
        var regressions = check.GetProperty("regressions").EnumerateArray().Select(r => r.GetString()).ToList();
        var valid = check.GetProperty("valid").GetBoolean();
        await console.Out.WriteLineAsync(!valid ? "propose: proposed, but its check FAILS: revise it (PUT the files again) before anyone can approve it."
            : regressions.Count > 0 ? $"propose: proposed; an approver must accept the regression on {string.Join(", ", regressions)} to approve it."
            : "propose: proposed; its check passes. A second person approves it.");
        return valid ? ExitCodes.Clean : ExitCodes.Findings;
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
