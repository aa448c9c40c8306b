using ComplaintDiagnostics.Client;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>What the rules answered for one ticket (or why they could not).</summary>
internal sealed record Prediction(string? Cause, DiagnosisStatus? Status, Route? Route, string? Reply, string? MatchedRule, string? Error)
{
    public static Prediction From(DiagnoseResponse r) =>
        new(r.Cause.Code, r.Status, r.Route, r.Reply.TemplateId, r.Trace.MatchedRule, null);
}

/// <summary>Answers tickets in batches, from a rule set in this process or from a running service.</summary>
internal interface IPredictor
{
    string Version { get; }

    Task<IReadOnlyList<Prediction>> PredictAsync(IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken);
}

internal sealed class InProcessPredictor(RuleSet rules, Diagnoser diagnoser) : IPredictor
{
    public string Version => rules.Version;

    public async Task<IReadOnlyList<Prediction>> PredictAsync(IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken)
    {
        var predictions = new Prediction[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            predictions[i] = Prediction.From(await diagnoser.DiagnoseAsync(rules, requests[i], [], cancellationToken));
        }
        return predictions;
    }
}

/// <summary>Replays against a running service through the batch endpoint and the Refit client.</summary>
internal sealed class RemotePredictor(IComplaintDiagnosticsApi api) : IPredictor
{
    public string Version { get; private set; } = "unknown";

    public async Task<IReadOnlyList<Prediction>> PredictAsync(IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken)
    {
        var items = await api.DiagnoseBatchAsync(requests, cancellationToken);
        var predictions = new Prediction[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var (response, problem) = ComplaintDiagnosticsClient.ReadBatchItem(items[i]);
            if (response is not null)
            {
                Version = response.RulesVersion;
            }
            predictions[i] = response is null ? new Prediction(null, null, null, null, null, problem) : Prediction.From(response);
        }
        return predictions;
    }
}
