using System.Text.Json.Nodes;

namespace ComplaintDiagnostics.Api.Tests.Infrastructure;

/// <summary>
/// Builds request bodies from a complete, neutral work order of each type plus edits written as
/// <c>"path=json; path2=json"</c> (<c>"frontDeskChecks.restarted=false"</c>); <c>"path="</c> removes a field.
/// </summary>
internal static class Complaint
{
    /// <summary>A data complaint stating every must-state field and the front desk's checks, with nothing that points at a cause.</summary>
    public const string DataBase = """
        {"ticketId":"T-data","receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"data",
         "billing":"postpaid","inArrears":false,"dataFeatureEnabled":true,"roaming":"local","scope":"allTimesAllPlaces",
         "frontDeskChecks":{"restarted":true,"settingsOk":true,"terminalOk":true}}
        """;

    /// <summary>A voice complaint stating every must-state field and the network checks (all clear).</summary>
    public const string VoiceBase = """
        {"ticketId":"T-voice","receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"voice",
         "networkType":"LTE","service":"voice","timePattern":"longTerm","location":{"description":"Gate 2, Xinhua Rd"},
         "network":{"activeAlarms":false,"kpiAbnormal":false,"similarUnresolvedComplaints":false}}
        """;

    public static string Data(string edits = "") => Apply(DataBase, edits);

    public static string Voice(string edits = "") => Apply(VoiceBase, edits);

    public static string Coverage(string edits = "") => Apply(VoiceBase, "complaintType=\"coverage\";" + edits);

    public static string Group(string edits = "") => Apply(
        """{"ticketId":"T-group","receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"groupFault","source":"hotline10019"}""", edits);

    public static string Apply(string json, string edits)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        foreach (var edit in edits.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (path, value) = (edit[..edit.IndexOf('=', StringComparison.Ordinal)], edit[(edit.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var segments = path.Split('.');
            var parent = root;
            foreach (var segment in segments[..^1])
            {
                parent = (parent[segment] ??= new JsonObject()).AsObject();
            }
            if (value.Length == 0)
            {
                parent.Remove(segments[^1]);
            }
            else
            {
                parent[segments[^1]] = JsonNode.Parse(value);
            }
        }
        return root.ToJsonString();
    }
}
