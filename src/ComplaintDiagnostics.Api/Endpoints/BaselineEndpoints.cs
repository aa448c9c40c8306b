using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Endpoints;

internal static class BaselineEndpoints
{
    /// <summary>
    /// POST /bench/baseline: reads a JSON body and answers a fixed JSON object, through the same pipeline
    /// (request id, exception handler, JSON options) as diagnose: the ceiling the HTTP stack allows on this
    /// machine, for bench/http-load.sh. Only mapped when <c>Benchmarks:BaselineEndpoint</c> is true.
    /// </summary>
    public static IEndpointRouteBuilder MapBaselineIfEnabled(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Benchmarks:BaselineEndpoint"))
        {
            app.MapPost("/bench/baseline", BaselineAsync).ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<Ok<BaselineAnswer>> BaselineAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        return TypedResults.Ok(new BaselineAnswer(document.RootElement.ValueKind.ToString(), "baseline"));
    }
}

internal sealed record BaselineAnswer(string Kind, string Status);
