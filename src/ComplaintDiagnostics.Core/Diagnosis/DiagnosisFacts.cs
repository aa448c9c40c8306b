using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>The diagnosis as policy workflows see it, under the parameter name <c>diagnosis</c>:
/// <c>diagnosis.Cause == "FIELD_TEST_REQUIRED"</c>, <c>diagnosis.Status == "needsInfo"</c>.</summary>
public sealed class DiagnosisFacts(DiagnosisStatus status, string cause, Route route)
{
    public DiagnosisStatus Status { get; } = status;
    public string Cause { get; } = cause;
    public Route Route { get; } = route;
}
