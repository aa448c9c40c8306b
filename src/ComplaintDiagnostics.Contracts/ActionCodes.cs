namespace ComplaintDiagnostics.Contracts;

/// <summary>The action codes a response may carry. Front-desk systems act on them, so rule files may only
/// name these: a new code is a contract change, not a rule edit.</summary>
public static class ActionCodes
{
    public const string CallCustomer = "callCustomer";
    public const string NotifySpecialists = "notifySpecialists";
    public const string FieldTest = "fieldTest";
    public const string TestIndoorAndOutdoor = "testIndoorAndOutdoor";
    public const string RecordCoordinates = "recordCoordinates";
    public const string EscalateToManager = "escalateToManager";
    public const string NotifyMaintenance = "notifyMaintenance";
    public const string NotifyGroupResponder = "notifyGroupResponder";
    public const string NotifyAccountManager = "notifyAccountManager";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CallCustomer, NotifySpecialists, FieldTest, TestIndoorAndOutdoor, RecordCoordinates,
        EscalateToManager, NotifyMaintenance, NotifyGroupResponder, NotifyAccountManager,
    };
}
