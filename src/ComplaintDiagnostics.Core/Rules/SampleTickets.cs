using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// Complaints used to warm a new rule set before it goes into service. RulesEngine compiles a workflow on
/// its first run, so running each one here moves compilation (and any expression error) to load time:
/// an empty complaint (everything unknown) and a complete one, so that a rule which fails on either
/// is refused instead of failing on live traffic.
/// </summary>
internal static class SampleTickets
{
    public static IEnumerable<DiagnoseRequest> For(ComplaintType type)
    {
        yield return new DiagnoseRequest { ComplaintType = type };
        yield return Complete(type);
    }

    private static DiagnoseRequest Complete(ComplaintType type) => new()
    {
        TicketId = "warm-up",
        ReceivedAt = DateTimeOffset.UnixEpoch,
        ComplaintType = type,
        Symptom = Symptom.Slow,
        NetworkType = NetworkType.Lte,
        Service = ServiceKind.Web,
        Billing = Billing.Postpaid,
        InArrears = false,
        DataFeatureEnabled = true,
        SimActivated = true,
        SpeedThrottled = false,
        Roaming = Roaming.Local,
        Scope = Scope.AllTimesAllPlaces,
        TimePattern = TimePattern.LongTerm,
        FrontDeskChecks = new FrontDeskChecks { Restarted = true, SettingsOk = true, TerminalOk = true },
        Terminal = new Terminal { Generation = TerminalGeneration.G4, Brand = "sample" },
        Location = new Location { Description = "sample", Area = Area.Urban, Indoor = true, Latitude = 0, Longitude = 0, SignalBars = 3 },
        Network = new NetworkFindings { ActiveAlarms = false, KpiAbnormal = false, SimilarUnresolvedComplaints = false, Reproduced = true },
        Customer = new Customer { Tier = CustomerTier.GroupLocal, SpecialCircumstances = false },
        Source = ComplaintSource.Hotline10010,
    };
}
