using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using System.ComponentModel.DataAnnotations;

namespace ComplaintDiagnostics.Api.Hosting;

/// <summary>Request limits of the diagnose endpoints (configuration section <c>Diagnose</c>).</summary>
internal sealed class DiagnoseOptions
{
    public const string Section = "Diagnose";

    /// <summary>Largest body of a single diagnose request.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest body of a batch request.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBatchBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request (the contract needs 3).</summary>
    [Range(4, 64)]
    public int MaxDepth { get; set; } = 16;

    /// <summary>Longest free-text field (ticketId, location.description, terminal.brand, customer.msisdn).</summary>
    [Range(16, 100_000)]
    public int MaxTextLength { get; set; } = 500;

    /// <summary>Longest a single diagnosis may take before it answers 503 (RulesEngine checks between rules).</summary>
    [Range(1, 600_000)]
    public int TimeBudgetMilliseconds { get; set; } = 2000;

    /// <summary>Longest a whole batch may take.</summary>
    [Range(1, 3_600_000)]
    public int BatchTimeBudgetMilliseconds { get; set; } = 60_000;

    /// <summary>Longest the start-up warm-up may hold /readyz back. It sends the OpenAPI examples through the
    /// service's own socket in rounds until a round leaves the JIT next to nothing to compile. 400 ms is one round
    /// and its pause, ready in about 1.5 s, with the request path reaching its optimized code in the seconds after
    /// (<see cref="WarmupSettleMilliseconds"/>); 8,000 holds ready until the compiler is quiet, about 6.5 s, for a
    /// first request as fast as a warm one (docs/performance.md, "Cold start"). 0: one pass only.</summary>
    [Range(0, 120_000)]
    public int WarmupLimitMilliseconds { get; set; } = 400;

    /// <summary>Longest the warm-up goes on after /readyz has reported ready: a round of the examples every 50 ms, not
    /// holding anything back, until four rounds in a row leave the JIT next to nothing to compile. The runtime goes
    /// on recompiling for about four seconds after ready; these rounds bring the request path to its optimized code
    /// in that time instead of on the first real requests (docs/performance.md). 0: none.</summary>
    [Range(0, 120_000)]
    public int WarmupSettleMilliseconds { get; set; } = 10_000;

    /// <summary>Most complaints in one batch.</summary>
    [Range(1, 100_000)]
    public int MaxBatchItems { get; set; } = 1000;
}
