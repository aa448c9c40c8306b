using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using PuppeteerSharp;
using Xunit.Abstractions;
using static ComplaintDiagnostics.Api.Tests.Lifecycle.ReleaseLifecycleTests;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// The people's side of the rule lifecycle, with real clicks in Chromium on the service in release mode: an author edits
/// a decision table (a misspelt value is found on its cell with its did-you-mean; fixed; a row added and deleted; a row
/// moved), proposes it, reads the check's evidence (the same figures the service's check gives) and the table diff; a
/// second person approves; an operator activates the release from the releases page and the answers change; a rollback
/// restores them. Screenshots of each page at 1,280 px go to artifacts/screenshots.
/// </summary>
public sealed class LifecyclePagesTests : IDisposable
{
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");
    private readonly TempGitRepo _repo = new(RepoPaths.Rules);
    private readonly ServiceFactory _service;
    private readonly HttpClient _client;
    private readonly string _baseUrl;
    private readonly ITestOutputHelper _output;

    public LifecyclePagesTests(ITestOutputHelper output)
    {
        _output = output;
        _repo.Commit("The shipped rules");
        _service = ServiceFactory.Serving(_repo.Rules, Settings(_repo.Root));
        var port = Loopback.FreePort();
        _service.UseKestrel(port);
        _service.StartServer();
        _baseUrl = $"http://127.0.0.1:{port}";
        _client = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        Directory.CreateDirectory(Screenshots);
    }

    public void Dispose()
    {
        _client.Dispose();
        _service.Dispose();
        _repo.Dispose();
    }

    // Restart not tried, terminal found faulty: D4 answers "restart first" before D6 can say "terminal fault".
    private static readonly string TerminalFaulty = Complaint.Data("ticketId=\"T-A\"; frontDeskChecks.restarted=false; frontDeskChecks.terminalOk=false");
    private static readonly string RestartOnly = Complaint.Data("ticketId=\"T-B\"; frontDeskChecks.restarted=false");

    [SkippableFact]
    public async Task AnAuthorEditsATableProposesItASecondPersonApprovesAndAnOperatorActivatesAndRollsBack()
    {
        await RecordAsync((TerminalFaulty, "T-A", "TERMINAL_FAULT"), (RestartOnly, "T-B", "RESTART_NOT_TRIED"));
        Assert.Equal("RESTART_NOT_TRIED", (await _client.DiagnoseAsync(TerminalFaulty)).Cause.Code);
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(_baseUrl + "/rules/edit?workflow=FieldTest");
        await SignInAsync(page, Alice, redraws: false);

        // A misspelt choice: the finding on that cell, with the value it meant.
        var area = Cell(0, "When", "location.area");
        await page.WaitForSelectorAsync(area);
        await RetypeAsync(page, area, "urbna");
        await page.WaitForSelectorAsync("input.has-finding");
        Assert.Equal(area, $"input[data-path='{await page.EvaluateExpressionAsync<string>("document.querySelector('input.has-finding').dataset.path")}']");
        Assert.Contains("Did you mean 'urban'?", await Text(page, "input.has-finding + .finding-text"), StringComparison.Ordinal);
        await ShotAsync(page, "editor-finding");
        await RetypeAsync(page, area, "urban");
        await page.WaitForFunctionAsync("() => !document.querySelector('input.has-finding') && document.getElementById('changed').textContent.startsWith('No change')");

        // The data table: a row added (a new row is found incomplete) and deleted again; D6 moved above D4.
        await page.SelectAsync("#workflow", "workflows/data.json");
        await page.ClickAsync("#add-row");
        await page.WaitForSelectorAsync("tr[data-rule='NEW_1'] input.has-finding");
        await page.ClickAsync("tr[data-rule='NEW_1'] .delete-row");
        await page.WaitForFunctionAsync("() => !document.querySelector(\"tr[data-rule='NEW_1']\")");
        foreach (var _ in new[] { 1, 2 })
        {
            var before = await page.EvaluateExpressionAsync<int>("[...document.querySelectorAll('#table tbody tr')].findIndex(r => r.dataset.rule === 'D6_TerminalFault')");
            await page.ClickAsync("tr[data-rule='D6_TerminalFault'] button[title^='Move up']");
            await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#table tbody tr')].findIndex(r => r.dataset.rule === 'D6_TerminalFault') === {before - 1}");
        }
        await page.WaitForFunctionAsync("() => (document.getElementById('check-status')?.textContent ?? '').includes('checks out')");
        await ShotAsync(page, "editor");

        // Proposed: the proposal's page with its evidence, equal to the check the service keeps with the proposal.
        await page.TypeAsync("#title", "Terminal fault before restart");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#propose"));
        await page.WaitForSelectorAsync("#evidence");
        var id = page.Url.Split('/')[^1];
        var replay = (await Json(_client, HttpMethod.Get, $"/api/v1/proposals/{id}", Alice)).GetProperty("check").GetProperty("replay");
        foreach (var key in new[] { "tickets", "changed", "fixed", "broken", "movedToNewCause" })
        {
            Assert.Equal(replay.GetProperty(key).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), await Text(page, $"[data-number='{key}'] strong"));
        }
        Assert.Equal((2, 1, 1, 0), (replay.GetProperty("tickets").GetInt32(), replay.GetProperty("changed").GetInt32(), replay.GetProperty("fixed").GetInt32(), replay.GetProperty("broken").GetInt32()));
        Assert.True(await page.QuerySelectorAsync("tr.moved[data-rule='D6_TerminalFault']") is not null, await page.EvaluateExpressionAsync<string>("document.getElementById('changes').outerHTML"));
        Assert.Contains("/decisions/", await page.EvaluateExpressionAsync<string>("document.querySelector('#by-cause a').href"), StringComparison.Ordinal);
        await ShotAsync(page, "proposal");

        // Its author may not approve it; a second person does.
        await page.ClickAsync("#approve");
        await page.WaitForSelectorAsync("#action-result .error");
        await SignInAsync(page, Bob);
        await page.WaitForSelectorAsync("#approve");
        await page.TypeAsync("#comment", "the front desk's terminal check is reliable");
        await page.ClickAsync("#approve");
        await page.WaitForSelectorAsync("#summary[data-status='approved']");
        await ShotAsync(page, "proposal-approved");

        // An operator activates release 2 with a reason: the answer changes; rolls back to 1: it is restored.
        await page.GoToAsync(_baseUrl + "/releases");
        await SignInAsync(page, Olga);
        await page.WaitForSelectorAsync("[data-activate='2']");
        await page.TypeAsync("input[data-reason='2']", "terminal check first");
        await page.ClickAsync("[data-activate='2']");
        await page.WaitForFunctionAsync("() => document.querySelector(\"#releases[data-active='2']\") || document.getElementById('activate-error')");
        Assert.True(await page.QuerySelectorAsync("#activate-error") is null, await Text(page, "#main"));
        await HttpClientExtensions.Eventually(async () => (await _client.DiagnoseAsync(TerminalFaulty)).Cause.Code == "TERMINAL_FAULT", HttpClientExtensions.ReloadDeadline, "release 2 answers");
        await ShotAsync(page, "releases");
        await page.TypeAsync("input[data-reason='1']", "roll back: the contact centre asked");
        await page.ClickAsync("[data-activate='1']");
        await page.WaitForSelectorAsync("#releases[data-active='1']");
        await HttpClientExtensions.Eventually(async () => (await _client.DiagnoseAsync(TerminalFaulty)).Cause.Code == "RESTART_NOT_TRIED", HttpClientExtensions.ReloadDeadline, "release 1 again");
        var activations = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#activations td:last-child')].map(td => td.textContent)");
        Assert.Equal(["roll back: the contact centre asked", "terminal check first", "first start in release mode"], activations);
    }

    [SkippableFact]
    public async Task ATableExportedToExcelChangedThereAndImportedIsTheSameProposalAsTheBrowserEdit()
    {
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });

        // In the browser: D6 moved above D4, proposed.
        await page.GoToAsync(_baseUrl + "/rules/edit?workflow=Data");
        await SignInAsync(page, Alice, redraws: false);
        foreach (var _ in new[] { 1, 2 })
        {
            var before = await page.EvaluateExpressionAsync<int>("[...document.querySelectorAll('#table tbody tr')].findIndex(r => r.dataset.rule === 'D6_TerminalFault')");
            await page.ClickAsync("tr[data-rule='D6_TerminalFault'] button[title^='Move up']");
            await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#table tbody tr')].findIndex(r => r.dataset.rule === 'D6_TerminalFault') === {before - 1}");
        }
        await page.WaitForFunctionAsync("() => (document.getElementById('check-status')?.textContent ?? '').includes('checks out')");
        await page.TypeAsync("#title", "Terminal fault before restart (browser)");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#propose"));
        var edited = page.Url.Split('/')[^1];

        // In Excel: the sheet exported, D6's row cut and inserted above D4's, and a slip of the keyboard in D2's row.
        var sheet = Path.Combine(Path.GetTempPath(), $"cd-data-{Guid.NewGuid():N}.xlsx");
        try
        {
            using (var exported = new MemoryStream(await _client.GetByteArrayAsync(new Uri("/api/v1/rules/workflows/Data/xlsx", UriKind.Relative))))
            {
                var rows = MiniExcelLibs.MiniExcel.Query(exported, useHeaderRow: true, sheetName: "Data").Cast<IDictionary<string, object?>>().ToList();
                exported.Position = 0;
                var replies = MiniExcelLibs.MiniExcel.Query(exported, useHeaderRow: true, sheetName: "Replies").Cast<IDictionary<string, object?>>().ToList();
                var d6 = rows.Single(r => (string?)r["RuleName"] == "D6_TerminalFault");
                rows.Remove(d6);
                rows.Insert(rows.FindIndex(r => (string?)r["RuleName"] == "D4_RestartNotTried"), d6);
                rows.Single(r => (string?)r["RuleName"] == "D2_DataFeatureDisabled")["dataFeatureEnabled"] = "flase";
                MiniExcelLibs.MiniExcel.SaveAs(sheet, new Dictionary<string, object> { ["Data"] = rows, ["Replies"] = replies });
            }

            // Imported in the editor: the slip is found on its cell, named by its sheet cell; fixed there; proposed.
            await page.GoToAsync(_baseUrl + "/rules/edit?workflow=Data");
            await page.WaitForSelectorAsync("#import");
            await (await page.QuerySelectorAsync("#import")).UploadFileAsync(sheet);
            await page.WaitForSelectorAsync(".finding-text[data-sheet-cell='Data!C3']");
            Assert.Contains("hit order CHANGED", await Text(page, "#import-result"), StringComparison.Ordinal);
            Assert.Equal("""["Rules",1,"When","dataFeatureEnabled"]""", await page.EvaluateExpressionAsync<string>("document.querySelector('input.has-finding').dataset.path"));
            await ShotAsync(page, "editor-import-finding");
            await RetypeAsync(page, Cell(1, "When", "dataFeatureEnabled"), "false");
            await page.WaitForFunctionAsync("() => (document.getElementById('check-status')?.textContent ?? '').includes('checks out')");
            await page.TypeAsync("#title", "Terminal fault before restart (Excel)");
            await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#propose"));
            var imported = page.Url.Split('/')[^1];

            // The same proposal: the same file, byte for byte (its comments kept), the same changes.
            var a = await Json(_client, HttpMethod.Get, $"/api/v1/proposals/{edited}/files", Alice);
            var b = await Json(_client, HttpMethod.Get, $"/api/v1/proposals/{imported}/files", Alice);
            Assert.Equal(a.GetProperty("head").ToString(), b.GetProperty("head").ToString());
            Assert.Contains("// Data complaints:", b.GetProperty("head").GetProperty("workflows/data.json").GetString(), StringComparison.Ordinal);
            Assert.Equal((await Json(_client, HttpMethod.Get, $"/api/v1/proposals/{edited}", Alice)).GetProperty("check").GetProperty("changes").ToString(),
                (await Json(_client, HttpMethod.Get, $"/api/v1/proposals/{imported}", Alice)).GetProperty("check").GetProperty("changes").ToString());
        }
        finally
        {
            File.Delete(sheet);
        }
    }

    [SkippableFact]
    public async Task HostileNamesAndTextsOnTheLifecyclePagesRenderAsText()
    {
        // Braces aside: a reply's {name} is a placeholder the compiler checks.
        var payload = string.Concat(HostileTexts.Corpus.Where(t => !t.Contains('{', StringComparison.Ordinal)));
        var replies = File.ReadAllText(Path.Combine(_repo.Rules, "replies.json")).Replace("上网功能已暂停", JsonEncodedText.Encode(payload).ToString(), StringComparison.Ordinal);
        var proposal = await Json(_client, HttpMethod.Post, "/api/v1/proposals", Alice,
            JsonSerializer.Serialize(new { title = payload.Replace("\u2028", "", StringComparison.Ordinal).Replace("\u2029", "", StringComparison.Ordinal)[..200], description = payload, files = new Dictionary<string, string> { ["replies.json"] = replies } }),
            System.Net.HttpStatusCode.Created);
        var id = proposal.GetProperty("id").GetString()!;
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(_baseUrl + "/releases");
        await SignInAsync(page, Bob); // Kept for the tab: the pages below read the service as bob.
        foreach (var path in new[] { $"/proposals/{id}", "/proposals", "/releases", "/rules/edit" })
        {
            await page.GoToAsync(_baseUrl + path);
            await page.WaitForFunctionAsync("() => document.body.dataset.loads || document.getElementById('page-error')");
            Assert.Null(await page.QuerySelectorAsync("#page-error"));
            var dom = await page.GetContentAsync();
            Assert.DoesNotContain(HostileTexts.Mark, dom, StringComparison.Ordinal);
            Assert.Null(await page.QuerySelectorAsync("img, svg"));
        }
        await page.GoToAsync(_baseUrl + $"/proposals/{id}");
        await page.WaitForSelectorAsync("#reply-diff");
        Assert.Contains(HostileTexts.Corpus[1], await Text(page, "#reply-diff"), StringComparison.Ordinal);
        await ShotAsync(page, "proposal-hostile");
    }

    private async Task RecordAsync(params (string Complaint, string Ticket, string Confirmed)[] tickets)
    {
        foreach (var (complaint, _, _) in tickets)
        {
            await _client.DiagnoseAsync(complaint);
        }
        await HttpClientExtensions.Eventually(async () =>
            (await _client.GetJsonAsync($"/api/v1/decisions?ticketId={tickets[^1].Ticket}")).GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(20), "the decisions on record");
        await Json(_client, HttpMethod.Post, "/api/v1/outcomes", null,
            JsonSerializer.Serialize(tickets.Select(t => new { ticketId = t.Ticket, confirmedCause = t.Confirmed })));
    }

    private static string Cell(int row, params string[] path) =>
        $"input[data-path='{JsonSerializer.Serialize(new object[] { "Rules", row }.Concat(path))}']";

    /// <summary>Signs in on the page's own box; a page that reads the service as that person (all but the editor) draws again.</summary>
    private static async Task SignInAsync(IPage page, string key, bool redraws = true)
    {
        await page.WaitForSelectorAsync("#credential");
        await page.WaitForFunctionAsync("() => document.body.dataset.loads || document.getElementById('page-error')");
        var loads = await page.EvaluateExpressionAsync<string?>("document.body.dataset.loads ?? '0'");
        await RetypeAsync(page, "#credential", key);
        if (redraws)
        {
            await page.WaitForFunctionAsync($"() => (document.body.dataset.loads ?? '0') !== '{loads}' || document.getElementById('page-error')");
        }
    }

    /// <summary>Selects what the field holds, types over it and leaves it, as a person does.</summary>
    private static async Task RetypeAsync(IPage page, string selector, string text)
    {
        await page.ClickAsync(selector);
        await page.Keyboard.DownAsync("Control");
        await page.Keyboard.PressAsync("a");
        await page.Keyboard.UpAsync("Control");
        await page.Keyboard.TypeAsync(text);
        await page.Keyboard.PressAsync("Tab");
    }

    private static Task<string> Text(IPage page, string selector) =>
        page.EvaluateFunctionAsync<string>("s => document.querySelector(s).textContent", selector);

    private async Task ShotAsync(IPage page, string name)
    {
        var file = Path.Combine(Screenshots, $"{name}.png");
        await page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = true });
        _output.WriteLine($"screenshot: {file}");
    }
}
