using System.Text.Json.Serialization;

namespace ComplaintDiagnostics.Contracts;

// Enum members are written on the wire as camelCase unless a JsonStringEnumMemberName says otherwise;
// ContractJson.Options reads them case-insensitively and rejects anything else with the allowed values.

public enum ComplaintType { Data, Voice, Coverage, GroupFault }

public enum Symptom { NoConnection, Slow, Dropping, WeakSignal, Noise, CallDrop, OneWayAudio, ChoppyVoice, ServiceDown }

public enum NetworkType
{
    [JsonStringEnumMemberName("GSM")] Gsm,
    [JsonStringEnumMemberName("WCDMA")] Wcdma,
    [JsonStringEnumMemberName("LTE")] Lte,
    [JsonStringEnumMemberName("NR")] Nr,
}

public enum ServiceKind { Voice, Web, Wechat, Video, Other }

public enum Billing { Postpaid, Ocs }

public enum Roaming { Local, RoamingIn, RoamingOut }

public enum Scope { AllTimesAllPlaces, SpecificTime, SpecificPlace, SpecificService }

public enum TimePattern { LongTerm, Periodic, SinceDate }

public enum TerminalGeneration
{
    [JsonStringEnumMemberName("2G")] G2,
    [JsonStringEnumMemberName("3G")] G3,
    [JsonStringEnumMemberName("4G")] G4,
    [JsonStringEnumMemberName("5G")] G5,
}

public enum Area { Urban, Rural }

public enum CustomerTier { Public, GroupLocal, GroupProvincial, GroupInterProvincial }

public enum ComplaintSource { Hotline10010, Hotline10019, MarketFrontEnd, Store, AccountManager }

public enum DiagnosisStatus { Diagnosed, NeedsInfo }

public enum Route { FrontDesk, Noc, NetworkOptimization, CustomerService, GroupCustomerMaintenance }

public enum Priority { Normal, High }
