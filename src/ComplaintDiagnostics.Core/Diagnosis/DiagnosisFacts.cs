using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>The diagnosis as policy workflows see it, under the parameter name <c>diagnosis</c>:
/// <c>diagnosis.Cause == "FIELD_TEST_REQUIRED"</c>, <c>diagnosis.Status == "needsInfo"</c>.</summary>
public sealed class DiagnosisFacts(DiagnosisStatus status, string cause, Route route)
{
    /// <summary>Not decided yet: the diagnosis-and-policies shape decides it while its rule runs
    /// (<see cref="FirstHits.Diagnosed"/>), before the policies read it.</summary>
    internal DiagnosisFacts()
        : this(DiagnosisStatus.Diagnosed, "", Route.FrontDesk)
    {
    }

    public DiagnosisStatus Status { get; private set; } = status;
    public string Cause { get; private set; } = cause;
    public Route Route { get; private set; } = route;

    internal void Decide(DiagnosisStatus status, string cause, Route route)
    {
        Status = status;
        Cause = cause;
        Route = route;
    }
}
