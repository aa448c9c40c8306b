using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Recording;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>
/// Turns an answer into a decision on record: gives it its id (the answer the caller gets carries it), cleans the
/// complaint and the answer of personal data (<see cref="RecordedJson"/>) and hands the decision to the recorder,
/// which never makes the answer wait. With <c>Decisions:Enabled</c> false the answer goes out as it came.
/// </summary>
internal sealed class DecisionLog(
    DecisionRecorder recorder, TimeProvider time, IOptions<JsonOptions> json, IOptions<RulesOptions> rulesOptions, Lifecycle.ShadowEvaluator shadow)
{
    private readonly JsonSerializerOptions _answerJson = json.Value.SerializerOptions;

    public bool Enabled => recorder.Enabled;

    /// <param name="record">False for the warm-up: the decision is built, so its code is warm, and dropped.</param>
    public DiagnoseResponse Diagnosed(RuleSet rules, DiagnoseRequest request, DiagnoseResponse answer, bool record = true)
    {
        if (!Enabled)
        {
            return answer;
        }
        var at = time.GetUtcNow();
        var sent = answer with { DecisionId = DecisionId.New(at) };
        var decision = Build(rules, request, sent, at, _answerJson);
        if (!record)
        {
            return answer;
        }
        Keep(rules);
        recorder.TryRecord(decision);
        shadow.Offer(request, sent, decision.Request);
        return sent;
    }

    /// <summary>A diagnosis as the record keeps it (live; a shadow decision is one with its mode and links changed).</summary>
    /// <param name="recordedRequest">The complaint as the record keeps it, when it is already made (a shadow decision's is its live one's).</param>
    public static DecisionRecord Build(RuleSet rules, DiagnoseRequest request, DiagnoseResponse sent, DateTimeOffset at, JsonSerializerOptions answerJson,
        string? recordedRequest = null)
    {
        var location = request.Location;
        return new DecisionRecord(
            sent.DecisionId!, DecisionKind.Diagnose, DecisionMode.Live, at, RecordedJson.Column(request.TicketId), rules.Version,
            Release: rules.ReleaseText,
            sent.Trace.Workflow, sent.Trace.MatchedRule, sent.Cause.Code, ContractJson.WireName(sent.Status),
            request.ComplaintType is { } type ? ContractJson.WireName(type) : null,
            location?.Latitude, location?.Longitude, PlaceOf(location),
            recordedRequest ?? RecordedJson.Complaint(request), RecordedJson.Answer(sent, answerJson))
        {
            LookedUpSimilar = LookedUp(sent),
        };
    }

    /// <summary>What the area look-up gave the rules for this answer, if it looked.</summary>
    public static bool? LookedUp(DiagnoseResponse sent) => sent.Trace.LookedUp?.FirstOrDefault(f => f.Field == AreaLookup.Field)?.Value;

    public FollowUpResponse FollowedUp(RuleSet rules, FollowUpRequest request, FollowUpResponse answer)
    {
        if (!Enabled)
        {
            return answer;
        }
        var at = time.GetUtcNow();
        var sent = answer with { DecisionId = DecisionId.New(at) };
        Keep(rules);
        var complaint = request.Complaint!;
        recorder.TryRecord(new DecisionRecord(
            sent.DecisionId!, DecisionKind.FollowUp, DecisionMode.Live, at, RecordedJson.Column(complaint.TicketId), rules.Version, Release: rules.ReleaseText,
            rules.Escalation?.Name ?? "Escalation", sent.Escalation.MatchedRule ?? "-", sent.Cause.Code, ContractJson.WireName(sent.Status),
            complaint.ComplaintType is { } type ? ContractJson.WireName(type) : null,
            complaint.Location?.Latitude, complaint.Location?.Longitude, PlaceOf(complaint.Location),
            RecordedJson.FollowUp(request), RecordedJson.Answer(sent, _answerJson)));
        return sent;
    }

    private static string? PlaceOf(Location? location) => AreaGrid.Place(location?.Description);

    private void Keep(RuleSet rules) =>
        recorder.KeepRuleSet(rules.Version, () => (JsonSerializer.Serialize(rules.Sources.Files), rules.Commit ?? CommitOf(rules.Version)));

    /// <summary>The Git commit the rules folder's files are at, when it is a Git working tree whose HEAD holds exactly
    /// this version (an uncommitted edit in service has none).</summary>
    private string? CommitOf(string version)
    {
        try
        {
            return Core.Rules.History.GitRules.Find(rulesOptions.Value.Path) is { } git && git.CommitOf("HEAD") is { } head
                && string.Equals(git.ReadAt(head).Version, version, StringComparison.Ordinal) ? head : null;
        }
        catch (Core.Rules.History.GitRulesException)
        {
            return null;
        }
    }
}
