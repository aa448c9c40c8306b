// The bare HTTP stack: a minimal API in its own process with no middleware and no logging, that reads the same
// JSON body as POST /api/v1/diagnose (parsed, as the service parses it) and answers a small fixed JSON object.
// bench/http-load.sh runs it beside the service; "diagnose / bare ceiling" is the share of this stack's throughput
// that the service keeps while doing its work.
//   dotnet run -c Release --project bench/BareCeiling -- --urls http://127.0.0.1:5097
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var answer = """{"kind":"Object","status":"bare"}"""u8.ToArray();
app.MapPost("/", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
    return Results.Bytes(answer, "application/json");
});
app.Run();
