using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using Refit;

namespace ComplaintDiagnostics.Client;

/// <summary>The v1 diagnose API. Errors surface as Refit's <see cref="ApiException"/> carrying the
/// problem details; create an instance with <see cref="ComplaintDiagnosticsClient.Create(HttpClient)"/>.</summary>
public interface IComplaintDiagnosticsApi
{
    /// <summary>Diagnoses one complaint.</summary>
    [Post("/api/v1/diagnose")]
    Task<DiagnoseResponse> DiagnoseAsync([Body] DiagnoseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Diagnoses a batch. Each element is a <see cref="DiagnoseResponse"/> or, for an invalid
    /// item, its problem details; read them with <see cref="ComplaintDiagnosticsClient.ReadBatchItem"/>.</summary>
    [Post("/api/v1/diagnose/batch")]
    Task<JsonElement[]> DiagnoseBatchAsync([Body] IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>The rule set in service: its version, workflows, replies and cause catalogue, as JSON.</summary>
    [Get("/api/v1/rules")]
    Task<JsonElement> GetRulesAsync(CancellationToken cancellationToken = default);

    /// <summary>What is overdue on a ticket in progress, and whom to tell.</summary>
    [Post("/api/v1/follow-up")]
    Task<FollowUpResponse> FollowUpAsync([Body] FollowUpRequest request, CancellationToken cancellationToken = default);
}

public static class ComplaintDiagnosticsClient
{
    /// <summary>A client over <paramref name="httpClient"/> (its BaseAddress is the service), speaking the contract's JSON.</summary>
    public static IComplaintDiagnosticsApi Create(HttpClient httpClient) =>
        RestService.For<IComplaintDiagnosticsApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ContractJson.Options)));

    /// <summary>A batch answer's item: the response, or null with the problem's errors.</summary>
    public static (DiagnoseResponse? Response, string? Problem) ReadBatchItem(JsonElement item)
    {
        if (item.TryGetProperty("rulesVersion", out _))
        {
            return (item.Deserialize<DiagnoseResponse>(ContractJson.Options), null);
        }
        var errors = item.TryGetProperty("errors", out var e) ? e.GetRawText() : item.GetRawText();
        return (null, errors);
    }
}
