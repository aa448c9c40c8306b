using ComplaintDiagnostics.Api.Endpoints;
using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Hosting;
using ComplaintDiagnostics.Api.Http;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.OpenApi;
using ComplaintDiagnostics.Api.RulesPage;
using ComplaintDiagnostics.Api.Pages;
using ComplaintDiagnostics.Api.Tmf621;
using ComplaintDiagnostics.Api.Record;
using ComplaintDiagnostics.Api.Lifecycle;
using ComplaintDiagnostics.Core;
using ComplaintDiagnostics.Decisions;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
// The README's port when nothing else names one (ASPNETCORE_URLS, --urls, ASPNETCORE_HTTP_PORTS, Kestrel endpoints). Set
// here, not as launchSettings.json's applicationUrl, which `dotnet run` puts over what the caller set; the repository's
// rules/ folder for `dotnet run` is likewise appsettings.Development.json's, which Rules__Path overrides.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
    && string.IsNullOrEmpty(builder.Configuration["https_ports"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls("http://localhost:5080");
}
// A misspelt or out-of-range setting stops the start in one line an operator can act on, and exit code 1.
if ((StartupSettings.Unknown(builder.Configuration) ?? StartupSettings.Invalid(builder.Configuration)) is { } badSetting)
{
    await Console.Error.WriteLineAsync(badSetting);
    return StartupSettings.ExitCode;
}

builder.Services.AddComplaintDiagnosis();
builder.Services.AddDecisionRecord();
builder.Services.AddApiInfrastructure();
builder.Services.AddIdentities();
builder.Services.AddRuleLifecycle();
builder.Services.AddTicketWriteBack();
builder.Services.AddRulesHealthChecks();
builder.Services.AddContractSwagger();
builder.Services.AddTelemetry(builder.Configuration);

try
{
    var app = builder.Build();

    app.UseRequestId();
    app.UseWarmupMarker();
    app.UseShutdownDrain();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseContractSwagger();
    app.MapDiagnose();
    app.MapFollowUp();
    app.MapDecisions();
    app.MapDecisionExplain();
    app.MapDecisionOverview();
    app.MapTroubleTicketFeed();
    app.MapLifecycle();
    app.MapRules();
    app.MapRulesPage();
    app.MapPages();
    app.MapHealth();
    app.MapMetrics();
    app.MapBaselineIfEnabled(app.Configuration);

    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync(StartupSettings.OutOfRange(ex));
    return StartupSettings.ExitCode;
}

/// <summary>The service's entry point; public for WebApplicationFactory.</summary>
public partial class Program;
