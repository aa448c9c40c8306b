using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Samples;

/// <summary>The procedure's tables (docs/procedure.md) written by hand, independent of the rule files: labels synthetic
/// histories (and is the floor the benchmarks compare the rules engine with).</summary>
public static class DomainReference
{
    public static (string Cause, Route Route) Diagnose(DiagnoseRequest t)
    {
        switch (t.ComplaintType)
        {
            case ComplaintType.Data:
                // Domain v3: the front desk's own findings (D1-D6) first, then one needs-info row (D0) for every missing
                // fact and unstated check.
                if (t.InArrears == true) return ("ACCOUNT_ARREARS", Route.FrontDesk);
                if (t.DataFeatureEnabled == false) return ("DATA_FEATURE_DISABLED", Route.FrontDesk);
                if (t.SimActivated == false) return ("SIM_NOT_ACTIVATED", Route.FrontDesk);
                if (t.FrontDeskChecks?.Restarted == false) return ("RESTART_NOT_TRIED", Route.FrontDesk);
                if (t.FrontDeskChecks?.SettingsOk == false) return ("DEVICE_SETTINGS", Route.FrontDesk);
                if (t.FrontDeskChecks?.TerminalOk == false) return ("TERMINAL_FAULT", Route.FrontDesk);
                if (t.Billing is null || t.InArrears is null || t.DataFeatureEnabled is null || t.Roaming is null || t.Scope is null
                    || t.FrontDeskChecks?.Restarted is null || t.FrontDeskChecks.SettingsOk is null || t.FrontDeskChecks.TerminalOk is null)
                {
                    return ("WORK_ORDER_INCOMPLETE", Route.FrontDesk); // D0
                }
                if (t.Network?.ActiveAlarms == true) return ("NETWORK_ALARM", Route.Noc);
                if (t.Network?.KpiAbnormal == true) return ("NETWORK_KPI_DEGRADED", Route.Noc);
                if (t.Scope == Scope.SpecificService || (t.SpeedThrottled == true && t.Symptom == Symptom.Slow)) return ("USAGE_UNDERSTANDING", Route.FrontDesk);
                if (t.Network?.Reproduced == false && t.Network.ActiveAlarms == false && t.Network.KpiAbnormal == false) return ("NOT_REPRODUCED", Route.FrontDesk);
                return ("NETWORK_INVESTIGATION", Route.Noc);
            case ComplaintType.Voice or ComplaintType.Coverage:
                if (t.Location?.Description is null || t.NetworkType is null || t.Service is null || t.TimePattern is null)
                {
                    return ("WORK_ORDER_INCOMPLETE", Route.FrontDesk);
                }
                if (t.Network?.ActiveAlarms == true) return ("NETWORK_ALARM", Route.NetworkOptimization);
                if (t.Network?.KpiAbnormal == true) return ("NETWORK_KPI_DEGRADED", Route.NetworkOptimization);
                if (t.Network?.Reproduced == false && t.Network.ActiveAlarms == false && t.Network.KpiAbnormal == false) return ("NOT_REPRODUCED", Route.FrontDesk);
                if (t.Network?.ActiveAlarms is null || t.Network.KpiAbnormal is null || t.Network.SimilarUnresolvedComplaints is null)
                {
                    return ("WORK_ORDER_INCOMPLETE", Route.NetworkOptimization); // V3a
                }
                if (t.Network.SimilarUnresolvedComplaints == true) return ("KNOWN_COVERAGE_ISSUE", Route.CustomerService);
                return ("FIELD_TEST_REQUIRED", Route.NetworkOptimization);
            default:
                return t.Customer?.Tier is CustomerTier.GroupLocal or CustomerTier.GroupProvincial or CustomerTier.GroupInterProvincial
                    ? ("GROUP_SERVICE_FAULT", Route.GroupCustomerMaintenance)
                    : ("WORK_ORDER_INCOMPLETE", Route.FrontDesk);
        }
    }
}
