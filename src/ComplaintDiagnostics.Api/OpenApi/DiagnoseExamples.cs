using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.OpenApi;

/// <summary>A realistic request per complaint type, shown in Swagger UI and used in the README.</summary>
internal static class DiagnoseExamples
{
    private static readonly DateTimeOffset Received = new(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(8));

    public sealed record Example(string Key, string Summary, DiagnoseRequest Request);

    public static IReadOnlyList<Example> All { get; } =
    [
        new("data", "Data: slow internet, front desk checks done, NOC sees an alarm", new DiagnoseRequest
        {
            TicketId = "10010-20261128-0001",
            ReceivedAt = Received,
            ComplaintType = ComplaintType.Data,
            Symptom = Symptom.Slow,
            Billing = Billing.Postpaid,
            InArrears = false,
            DataFeatureEnabled = true,
            SimActivated = true,
            Roaming = Roaming.Local,
            Scope = Scope.SpecificPlace,
            FrontDeskChecks = new FrontDeskChecks { Restarted = true, SettingsOk = true, TerminalOk = true },
            Terminal = new Terminal { Generation = TerminalGeneration.G5, Brand = "Huawei" },
            Network = new NetworkFindings { ActiveAlarms = true },
            Source = ComplaintSource.Hotline10010,
        }),
        new("voice", "Voice: dropped calls in an urban office; no alarm, KPIs normal: a new problem", new DiagnoseRequest
        {
            TicketId = "10010-20261128-0002",
            ReceivedAt = Received,
            ComplaintType = ComplaintType.Voice,
            Symptom = Symptom.CallDrop,
            NetworkType = NetworkType.Lte,
            Service = ServiceKind.Voice,
            TimePattern = TimePattern.SinceDate,
            Location = new Location { Description = "Building 3, Jinqiao Road", Area = Area.Urban, Indoor = true, SignalBars = 2 },
            Network = new NetworkFindings { ActiveAlarms = false, KpiAbnormal = false, SimilarUnresolvedComplaints = false },
            Source = ComplaintSource.Store,
        }),
        new("voiceNeedsInfo", "Voice: noise on calls, the NOC's checks not stated yet: the answer asks for them", new DiagnoseRequest
        {
            TicketId = "10010-20261128-0005",
            ReceivedAt = Received,
            ComplaintType = ComplaintType.Voice,
            Symptom = Symptom.Noise,
            NetworkType = NetworkType.Lte,
            Service = ServiceKind.Voice,
            TimePattern = TimePattern.Periodic,
            Location = new Location { Description = "Metro line 2, Century Avenue station" },
            Source = ComplaintSource.Hotline10010,
        }),
        new("coverage", "Coverage: weak signal where neighbours complain too", new DiagnoseRequest
        {
            TicketId = "10010-20261128-0003",
            ReceivedAt = Received,
            ComplaintType = ComplaintType.Coverage,
            Symptom = Symptom.WeakSignal,
            NetworkType = NetworkType.Nr,
            Service = ServiceKind.Web,
            TimePattern = TimePattern.LongTerm,
            Location = new Location { Description = "Village 5, east hill", Area = Area.Rural, SignalBars = 1 },
            Network = new NetworkFindings { ActiveAlarms = false, KpiAbnormal = false, SimilarUnresolvedComplaints = true },
        }),
        new("groupFault", "Group fault: a provincial enterprise's line is down", new DiagnoseRequest
        {
            TicketId = "10019-20261128-0004",
            ReceivedAt = Received,
            ComplaintType = ComplaintType.GroupFault,
            Symptom = Symptom.ServiceDown,
            Customer = new Customer { Tier = CustomerTier.GroupProvincial, SpecialCircumstances = false },
            Source = ComplaintSource.Hotline10019,
        }),
    ];
}
