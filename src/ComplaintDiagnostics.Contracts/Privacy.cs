using System.Text.RegularExpressions;

namespace ComplaintDiagnostics.Contracts;

/// <summary>Phone numbers never appear in full in logs, traces or reports.</summary>
public static partial class Privacy
{
    /// <summary>13812341234 → 138****1234: enough to match a callback, not enough to call.</summary>
    public static string MaskMsisdn(string? msisdn)
    {
        if (string.IsNullOrEmpty(msisdn))
        {
            return "";
        }
        return msisdn.Length <= 7 ? new string('*', msisdn.Length) : msisdn[..3] + "****" + msisdn[^4..];
    }

    /// <summary>Masks every run of seven or more digits in free text (a ticket id a front desk built from
    /// the caller's number, a note), so that logging the text cannot leak a number.</summary>
    public static string MaskNumbers(string? text) =>
        string.IsNullOrEmpty(text) ? text ?? "" : DigitRun().Replace(text, m => MaskMsisdn(m.Value));

    [GeneratedRegex(@"\d{7,}")]
    private static partial Regex DigitRun();
}
