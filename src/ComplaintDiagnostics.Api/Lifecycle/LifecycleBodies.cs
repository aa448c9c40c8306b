using ComplaintDiagnostics.Core.Lifecycle;

namespace ComplaintDiagnostics.Api.Lifecycle;

// The lifecycle endpoints' bodies and answers, as the contract names their fields.

/// <param name="Base">The changed files as the proposal's base release has them (null: the proposal adds it).</param>
/// <param name="Head">The changed files as the proposal has them (null: the proposal removes it).</param>
internal sealed record ProposalFiles(IReadOnlyDictionary<string, string?> Base, IReadOnlyDictionary<string, string?> Head);

/// <param name="Base">The active release's commit or number; leave it out to propose on the active release.</param>
/// <param name="Files">Each changed file's path in the rules folder to its text; null removes the file.</param>
internal sealed record ProposalBody(string? Title, string? Description, string? Base, IReadOnlyDictionary<string, string?>? Files);

/// <param name="AcceptRegression">Accept, under the approver's name, that the proposal answers some confirmed causes less well.</param>
/// <param name="Head">The proposal's commit the approver reviewed (its <c>head</c>): a proposal revised since is refused (409).</param>
internal sealed record ApproveBody(string? Comment, bool? AcceptRegression, string? Head);

internal sealed record RejectBody(string? Comment);

/// <param name="Percent">Of live diagnoses, 1 to 100; 0 stops the shadow.</param>
internal sealed record ShadowBody(int? Percent, DateTimeOffset? Until);

internal sealed record ActivateBody(string? Reason);

internal sealed record ApprovedView(Release Release);

internal sealed record ProposalList(IReadOnlyList<Proposal> Items);

internal sealed record ReleaseView(
    int Number, string Commit, DateTimeOffset CreatedAt, IReadOnlyList<string> Authors, IReadOnlyList<string> ApprovedBy, string Title,
    string? Proposal, ProposalCheck? Evidence, IReadOnlyList<string>? AcceptedRegressions, bool Active);

internal sealed record ReleaseList(int? Active, IReadOnlyList<ReleaseView> Items, IReadOnlyList<Activation> Activations);
