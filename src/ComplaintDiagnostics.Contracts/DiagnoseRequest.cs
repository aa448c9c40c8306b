namespace ComplaintDiagnostics.Contracts;

/// <summary>A complaint's attributes as the front desk knows them. Every field but
/// <c>complaintType</c> is optional: a field that is not sent is unknown, never a guess.</summary>
public sealed record DiagnoseRequest
{
    /// <summary>The front desk's ticket id, echoed back.</summary>
    public string? TicketId { get; init; }

    /// <summary>When the complaint was received (ISO-8601 with offset). Deadlines count from it; default: now.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Which procedure applies: data, voice, coverage or groupFault. Required.</summary>
    public ComplaintType? ComplaintType { get; init; }

    public Symptom? Symptom { get; init; }
    public NetworkType? NetworkType { get; init; }
    public ServiceKind? Service { get; init; }
    public Billing? Billing { get; init; }
    public bool? InArrears { get; init; }
    public bool? DataFeatureEnabled { get; init; }
    public bool? SimActivated { get; init; }

    /// <summary>The plan's quota is used up and speed is limited.</summary>
    public bool? SpeedThrottled { get; init; }

    public Roaming? Roaming { get; init; }
    public Scope? Scope { get; init; }
    public TimePattern? TimePattern { get; init; }
    public FrontDeskChecks? FrontDeskChecks { get; init; }
    public Terminal? Terminal { get; init; }
    public Location? Location { get; init; }

    /// <summary>What the NOC's look-ups or a field test found.</summary>
    public NetworkFindings? Network { get; init; }

    public Customer? Customer { get; init; }
    public ComplaintSource? Source { get; init; }
}

/// <summary>What the front desk already checked with the customer.</summary>
public sealed record FrontDeskChecks
{
    public bool? Restarted { get; init; }
    public bool? SettingsOk { get; init; }
    public bool? TerminalOk { get; init; }
}

public sealed record Terminal
{
    public TerminalGeneration? Generation { get; init; }
    public string? Brand { get; init; }
}

public sealed record Location
{
    public string? Description { get; init; }
    public Area? Area { get; init; }
    public bool? Indoor { get; init; }
    // The ranges are what DiagnoseRequestValidation refuses outside of; as attributes they reach the OpenAPI document.
    [System.ComponentModel.DataAnnotations.Range(-90.0, 90.0)]
    public double? Latitude { get; init; }

    [System.ComponentModel.DataAnnotations.Range(-180.0, 180.0)]
    public double? Longitude { get; init; }

    /// <summary>Signal bars on the customer's phone, 0 to 5.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 5)]
    public int? SignalBars { get; init; }
}

public sealed record NetworkFindings
{
    public bool? ActiveAlarms { get; init; }
    public bool? KpiAbnormal { get; init; }
    public bool? SimilarUnresolvedComplaints { get; init; }
    public bool? Reproduced { get; init; }
}

public sealed record Customer
{
    public CustomerTier? Tier { get; init; }
    public bool? SpecialCircumstances { get; init; }

    /// <summary>The customer's number. Never logged in full; no rule reads it.</summary>
    [PersonalData]
    public string? Msisdn { get; init; }
}
