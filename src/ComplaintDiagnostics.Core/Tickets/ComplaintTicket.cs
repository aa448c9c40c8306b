using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Tickets;

/// <summary>
/// The complaint as rule expressions see it, under the parameter name <c>ticket</c>.
/// Nested objects are never null (an absent <c>network</c> is a network whose findings are all unknown),
/// so <c>ticket.Network.ActiveAlarms == true</c> never throws; leaves stay nullable, so a condition that
/// tests for <c>false</c> does not fire on a field the request left out (unknown is not false).
/// </summary>
/// <remarks>Public because RulesEngine's expression parser only binds to public members.</remarks>
public sealed class ComplaintTicket
{
    private static readonly FrontDeskChecks NoChecks = new();
    private static readonly Terminal NoTerminal = new();
    private static readonly Location NoLocation = new();
    private static readonly NetworkFindings NoFindings = new();
    private static readonly Customer NoCustomer = new();

    private readonly DiagnoseRequest _request;

    public ComplaintTicket(DiagnoseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A text left blank ("" or spaces) states nothing: a work order whose location reads "" has no location, so
        // V0 asks for it, as it does when the field is left out. Rare, so the request is copied only then.
        var location = Blank(request.Location?.Description) ? request.Location! with { Description = null } : request.Location;
        var terminal = Blank(request.Terminal?.Brand) ? request.Terminal! with { Brand = null } : request.Terminal;
        var customer = Blank(request.Customer?.Msisdn) ? request.Customer! with { Msisdn = null } : request.Customer;
        _request = ReferenceEquals(location, request.Location) && ReferenceEquals(terminal, request.Terminal) && ReferenceEquals(customer, request.Customer)
            ? request
            : request with { Location = location, Terminal = terminal, Customer = customer };
    }

    private static bool Blank(string? text) => text is not null && string.IsNullOrWhiteSpace(text);

    /// <summary>When the complaint was received, as the request states it: rules see this, never the clock.</summary>
    public DateTimeOffset? ReceivedAt => _request.ReceivedAt;

    public ComplaintType? ComplaintType => _request.ComplaintType;
    public Symptom? Symptom => _request.Symptom;
    public NetworkType? NetworkType => _request.NetworkType;
    public ServiceKind? Service => _request.Service;
    public Billing? Billing => _request.Billing;
    public bool? InArrears => _request.InArrears;
    public bool? DataFeatureEnabled => _request.DataFeatureEnabled;
    public bool? SimActivated => _request.SimActivated;
    public bool? SpeedThrottled => _request.SpeedThrottled;
    public Roaming? Roaming => _request.Roaming;
    public Scope? Scope => _request.Scope;
    public TimePattern? TimePattern => _request.TimePattern;
    public FrontDeskChecks FrontDeskChecks => _request.FrontDeskChecks ?? NoChecks;
    public Terminal Terminal => _request.Terminal ?? NoTerminal;
    public Location Location => _request.Location ?? NoLocation;
    public NetworkFindings Network => _request.Network ?? NoFindings;
    public Customer Customer => _request.Customer ?? NoCustomer;
    public ComplaintSource? Source => _request.Source;

    /// <summary>The given request paths (e.g. <c>"billing"</c>, <c>"location.description"</c>) that this
    /// complaint does not state, in the order given. Used by needs-info rules to list what is missing.</summary>
    /// <exception cref="ArgumentException">A path that is not a field of the request: a typo in a rule file.</exception>
    public string[] Unknown(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Runs on every complaint its rule sees, usually finding nothing missing: count first, allocate only then.
        var missing = 0;
        foreach (var path in paths)
        {
            missing += RequestFields.IsStated(_request, path) ? 0 : 1;
        }
        if (missing == 0)
        {
            return [];
        }
        var unknown = new string[missing];
        var i = 0;
        foreach (var path in paths)
        {
            if (!RequestFields.IsStated(_request, path))
            {
                unknown[i++] = path;
            }
        }
        return unknown;
    }

    /// <summary>The given request paths as they are: for a needs-info rule whose reason is not plain absence
    /// (a groupFault whose tier is not a group tier still lacks a usable <c>customer.tier</c>).</summary>
    /// <exception cref="ArgumentException">A path that is not a field of the request.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Rule expressions call it on the ticket, like Unknown.")]
    public string[] Fields(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            RequestFields.EnsureExists(path);
        }
        return paths;
    }
}
