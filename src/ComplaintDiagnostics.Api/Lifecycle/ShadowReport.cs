using System.Text.Json;
using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Lifecycle;

/// <summary>
/// What a proposal in shadow would have answered (contract, <c>GET /api/v1/proposals/{id}/shadow</c>): how many live
/// diagnoses it answered, which parts of the answer it changed and examples, and on tickets whose cause has been confirmed
/// since, the live rules' precision beside the proposal's. Only the proposal as it stands counts (a revision's shadow
/// decisions before it answered with other rules); the newest are read first.
/// </summary>
internal sealed record ShadowReport(
    string Proposal, ShadowSettings? Settings, DateTimeOffset? Since, int Evaluated, ShadowChanges Changed, IReadOnlyList<ShadowExample> Examples,
    ShadowOnConfirmed OnConfirmed, long DroppedHere, bool Truncated)
{
    /// <summary>The most shadow decisions one report reads.</summary>
    public const int MaxRead = 200_000;

    private const int MaxExamples = 10;

    /// <summary>The parts of an answer compared, by their names in the contract.</summary>
    private static readonly string[] Parts = ["status", "cause", "missingFields", "reply", "route", "actions", "deadlines", "priority"];

    public static async Task<ShadowReport> ReadAsync(Proposal proposal, IDecisionStore store, long droppedHere, CancellationToken cancellationToken)
    {
        var byPart = Parts.ToDictionary(p => p, _ => 0, StringComparer.Ordinal);
        var examples = new List<ShadowExample>();
        int evaluated = 0, changed = 0, confirmed = 0, liveRight = 0, proposalRight = 0;
        DateTimeOffset? since = null;
        var truncated = false;
        await foreach (var pair in store.ShadowAsync(proposal.Id, MaxRead + 1, cancellationToken))
        {
            if (pair.RulesVersion != proposal.Check.Version)
            {
                continue;
            }
            if (evaluated == MaxRead)
            {
                truncated = true;
                break;
            }
            evaluated++;
            since = pair.RecordedAt;
            using var shadow = JsonDocument.Parse(pair.ShadowAnswer);
            using var live = JsonDocument.Parse(pair.LiveAnswer);
            var differ = Parts.Where(p => !JsonElement.DeepEquals(Part(live.RootElement, p), Part(shadow.RootElement, p))).ToList();
            if (differ.Count > 0)
            {
                changed++;
                differ.ForEach(p => byPart[p]++);
                if (examples.Count < MaxExamples)
                {
                    examples.Add(new ShadowExample(pair.DecisionId, Text(live.RootElement, "decisionId"), pair.TicketId, differ,
                        Gist(live.RootElement), Gist(shadow.RootElement)));
                }
            }
            if (pair.ConfirmedCause is { } cause)
            {
                confirmed++;
                liveRight += Code(live.RootElement) == cause ? 1 : 0;
                proposalRight += Code(shadow.RootElement) == cause ? 1 : 0;
            }
        }
        return new ShadowReport(proposal.Id, proposal.Shadow, since, evaluated, new ShadowChanges(changed, byPart), examples,
            new ShadowOnConfirmed(confirmed, Precision(liveRight, confirmed), Precision(proposalRight, confirmed)), droppedHere, truncated);
    }

    private static JsonElement Part(JsonElement answer, string part) =>
        answer.TryGetProperty(part, out var value) ? value : default;

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Code(JsonElement answer) => answer.TryGetProperty("cause", out var cause) ? Text(cause, "code") : null;

    private static AnswerGist Gist(JsonElement answer) => new(Text(answer, "status"), Code(answer), Text(answer, "route"),
        answer.TryGetProperty("reply", out var reply) ? Text(reply, "templateId") : null);

    private static ShadowPrecision Precision(int right, int of) => new(right, of == 0 ? null : Math.Round((double)right / of, 4));
}

internal sealed record ShadowChanges(int Total, IReadOnlyDictionary<string, int> ByPart);

internal sealed record ShadowExample(string DecisionId, string? LiveDecisionId, string? TicketId, IReadOnlyList<string> Parts, AnswerGist Live, AnswerGist Proposal);

internal sealed record AnswerGist(string? Status, string? Cause, string? Route, string? Reply);

/// <param name="Tickets">Shadowed complaints whose ticket has a confirmed cause.</param>
internal sealed record ShadowOnConfirmed(int Tickets, ShadowPrecision Live, ShadowPrecision Proposal);

/// <param name="Confirmed">Answers whose cause is the one confirmed.</param>
/// <param name="Precision">Confirmed ÷ tickets; null without any.</param>
internal sealed record ShadowPrecision(int Confirmed, double? Precision);
