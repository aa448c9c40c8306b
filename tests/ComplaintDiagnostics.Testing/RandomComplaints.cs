using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Testing;

/// <summary>Random complaints over every field of the contract, each field unknown a quarter of the time.</summary>
internal static class RandomComplaints
{
    public static DiagnoseRequest Next(Random random)
    {
        T? Maybe<T>(T value) where T : struct => random.Next(4) == 0 ? null : value;
        T? AnyOf<T>() where T : struct, Enum => Maybe(random.GetItems(Enum.GetValues<T>(), 1)[0]);
        bool? Flag() => Maybe(random.Next(2) == 0);
        // Front-desk checks are mostly fine in real tickets; the rows after D0 are only reached when all three are stated.
        bool? Check() => Maybe(random.Next(5) != 0);
        T? Part<T>(Func<T> make) where T : class => random.Next(4) == 0 ? null : make();

        return new DiagnoseRequest
        {
            TicketId = "random",
            ReceivedAt = DateTimeOffset.UnixEpoch,
            ComplaintType = random.GetItems(Enum.GetValues<ComplaintType>(), 1)[0],
            Symptom = AnyOf<Symptom>(),
            NetworkType = AnyOf<NetworkType>(),
            Service = AnyOf<ServiceKind>(),
            Billing = AnyOf<Billing>(),
            InArrears = Flag(),
            DataFeatureEnabled = Flag(),
            SimActivated = Flag(),
            SpeedThrottled = Flag(),
            Roaming = AnyOf<Roaming>(),
            Scope = AnyOf<Scope>(),
            TimePattern = AnyOf<TimePattern>(),
            FrontDeskChecks = Part(() => new FrontDeskChecks { Restarted = Check(), SettingsOk = Check(), TerminalOk = Check() }),
            Terminal = Part(() => new Terminal { Generation = AnyOf<TerminalGeneration>(), Brand = "any" }),
            Location = Part(() => new Location
            {
                Description = random.Next(3) == 0 ? null : "somewhere",
                Area = AnyOf<Area>(),
                Indoor = Flag(),
                SignalBars = Maybe(random.Next(6)),
            }),
            Network = Part(() => new NetworkFindings { ActiveAlarms = Flag(), KpiAbnormal = Flag(), SimilarUnresolvedComplaints = Flag(), Reproduced = Flag() }),
            Customer = Part(() => new Customer { Tier = AnyOf<CustomerTier>(), SpecialCircumstances = Flag() }),
            Source = AnyOf<ComplaintSource>(),
        };
    }
}
