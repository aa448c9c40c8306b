using ComplaintDiagnostics.Api.Endpoints;
using ComplaintDiagnostics.Api.Infrastructure;
using ComplaintDiagnostics.Api.OpenApi;
using ComplaintDiagnostics.Api.RulesPage;
using ComplaintDiagnostics.Core;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddComplaintDiagnosis();
builder.Services.AddApiInfrastructure();
builder.Services.AddRulesHealthChecks();
builder.Services.AddContractSwagger();
builder.Services.AddTelemetry(builder.Configuration);

var app = builder.Build();

app.UseRequestId();
app.UseWarmupMarker();
app.UseShutdownDrain();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseContractSwagger();
app.MapDiagnose();
app.MapFollowUp();
app.MapRules();
app.MapRulesPage();
app.MapHealth();
app.MapMetrics();
app.MapBaselineIfEnabled(app.Configuration);

app.Run();

/// <summary>The service's entry point; public for WebApplicationFactory.</summary>
public partial class Program;
