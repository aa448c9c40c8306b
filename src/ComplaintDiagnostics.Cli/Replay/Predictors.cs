using System.Text.Json;
using ComplaintDiagnostics.Client;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>What the rules answered for one ticket (or why they could not): every part a compare looks at.
/// Deadlines and action due times are offsets from receipt (<c>contactBy +30m</c>), so two runs compare equal
/// whatever the clock.</summary>
internal sealed record Prediction(string? Cause, DiagnosisStatus? Status, Route? Route, string? Reply, string? MatchedRule, string? Error)
{
    public Priority? Priority { get; init; }
    public string? MissingFields { get; init; }
    public string? ReplyText { get; init; }
    public string? WorkOrderText { get; init; }
    public string? Deadlines { get; init; }
    public string? Actions { get; init; }

    public static Prediction From(DiagnoseResponse r, DateTimeOffset receivedAt) =>
        new(r.Cause.Code, r.Status, r.Route, r.Reply.TemplateId, r.Trace.MatchedRule, null)
        {
            Priority = r.Priority,
            MissingFields = string.Join(", ", r.MissingFields),
            ReplyText = r.Reply.Text,
            WorkOrderText = r.Reply.WorkOrderText,
            Deadlines = string.Join(", ", new[] { ("contactBy", r.Deadlines.ContactBy), ("onSiteBy", r.Deadlines.OnSiteBy), ("resolveBy", r.Deadlines.ResolveBy) }
                .Where(d => d.Item2 is not null).Select(d => $"{d.Item1} {Offset(d.Item2!.Value, receivedAt)}")),
            Actions = string.Join(", ", r.Actions.Select(a => a.DueBy is { } due ? $"{a.Code} {Offset(due, receivedAt)}" : a.Code)),
        };

    private static string Offset(DateTimeOffset at, DateTimeOffset receivedAt) =>
        "+" + ((long)(at - receivedAt).TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture) + "m";

    /// <summary>The parts in which <paramref name="after"/> differs from this answer, by name.</summary>
    public List<string> ChangedParts(Prediction after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var parts = new List<string>();
        void Part(string name, object? before, object? now)
        {
            if (!Equals(before, now))
            {
                parts.Add(name);
            }
        }
        Part("status", Status, after.Status);
        Part("cause", Cause, after.Cause);
        Part("route", Route, after.Route);
        Part("priority", Priority, after.Priority);
        Part("missingFields", MissingFields, after.MissingFields);
        Part("reply", Reply, after.Reply);
        Part("replyText", ReplyText, after.ReplyText);
        Part("workOrderText", WorkOrderText, after.WorkOrderText);
        Part("deadlines", Deadlines, after.Deadlines);
        Part("actions", Actions, after.Actions);
        return parts;
    }
}

/// <summary>Answers tickets in batches, from a rule set in this process or from a running service.</summary>
internal interface IPredictor
{
    string Version { get; }

    /// <summary>How many tickets to answer per call.</summary>
    int BatchSize { get; }

    /// <summary>The cause catalogue of the rules that answer, to read confirmed causes by (null until known).</summary>
    ConfirmedCauses? Causes { get; }

    Task<IReadOnlyList<Prediction>> PredictAsync(IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken);
}

internal sealed class InProcessPredictor(RuleSet rules, Diagnoser diagnoser) : IPredictor
{
    public string Version => rules.Version;

    public ConfirmedCauses? Causes => rules.ConfirmedCauses;

    // Small: the tickets of a batch are alive until it is tallied, and every garbage collection in between copies
    // them; with 256 a million-ticket replay spent a fifth more time (docs/performance.md).
    public int BatchSize => 16;

    public async Task<IReadOnlyList<Prediction>> PredictAsync(IReadOnlyList<DiagnoseRequest> requests, CancellationToken cancellationToken)
    {
        var predictions = new Prediction[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            predictions[i] = Prediction.From(await diagnoser.DiagnoseAsync(rules, requests[i], [], cancellationToken), requests[i].ReceivedAt!.Value);
        }
        return predictions;
    }
}

/// <summary>Replays against a running service through the batch endpoint and the Refit client.</summary>
internal sealed class RemotePredictor(IComplaintDiagnosticsApi api) : IPredictor
{
    public string Version { get; private set; } = "unknown";

    // One HTTP call per batch: large, within the service's batch limit.
    public int BatchSize => 256;

    public ConfirmedCauses? Causes { get; private set; }

    /// <summary>Reads the service's cause catalogue (GET /api/v1/rules), so that confirmed causes are read by it as in
    /// process; a service that lists none leaves them as written.</summary>
    public async Task ReadCausesAsync(CancellationToken cancellationToken)
    {
        var rules = await api.GetRulesAsync(cancellationToken);
        Causes = rules.ValueKind == JsonValueKind.Object && rules.TryGetProperty("causes", out var causes) && causes.ValueKind == JsonValueKind.Object
            ? new ConfirmedCauses(causes.EnumerateObject().Select(c => (c.Name,
                c.Value.ValueKind == JsonValueKind.Object && c.Value.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                    ? labels.EnumerateObject().Select(l => l.Value.ValueKind == JsonValueKind.String ? l.Value.GetString()! : "")
                    : [])))
            : null;
    }

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
            predictions[i] = response is null ? new Prediction(null, null, null, null, null, problem) : Prediction.From(response, requests[i].ReceivedAt!.Value);
        }
        return predictions;
    }
}
