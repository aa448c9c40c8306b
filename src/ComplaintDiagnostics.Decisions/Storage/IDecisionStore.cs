namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// Where decisions and confirmed causes are kept: SQLite embedded (<see cref="SqliteDecisionStore"/>) or PostgreSQL
/// (<see cref="PostgresDecisionStore"/>), chosen by <c>Decisions:Provider</c>. Every write is idempotent: a batch
/// written twice (a write that timed out but committed, then replayed from the spool) keeps each decision once.
/// </summary>
public interface IDecisionStore
{
    /// <summary>"sqlite" or "postgresql", for status and logs.</summary>
    string Provider { get; }

    /// <summary>Creates or upgrades the schema (versioned migrations, journaled in the database).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task WriteAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken);

    /// <summary>Whether a write failed on what it was given (a value the store refuses), not on the store: writing it
    /// again will fail again.</summary>
    bool Refuses(Exception exception);

    /// <summary>Keeps a rule set's files once per version, so a decision's table can be shown as it stood then, with the
    /// Git commit that holds them when the rules folder is a Git working tree at that commit.</summary>
    Task KeepRuleSetAsync(string version, string filesJson, string? gitCommit, DateTimeOffset at, CancellationToken cancellationToken);

    Task<string?> RuleSetAsync(string version, CancellationToken cancellationToken);

    Task<StoredDecision?> GetAsync(string decisionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredDecision>> ListAsync(DecisionFilter filter, CancellationToken cancellationToken);

    /// <summary>Records confirmed causes; see <see cref="OutcomeWrite"/> for what counts as a duplicate.</summary>
    Task<OutcomeCounts> RecordOutcomesAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="ticketIds"/> have at least one decision on record.</summary>
    Task<IReadOnlySet<string>> KnownTicketsAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken);

    /// <summary>Per row of live diagnoses since <paramref name="since"/>: hits, and the confirmed causes of their tickets.</summary>
    Task<IReadOnlyList<RuleTally>> TallyAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Live diagnoses of still unresolved tickets recorded near a place (<see cref="AreaQuery"/>), newest first.</summary>
    Task<IReadOnlyList<AreaNeighbour>> NearAsync(AreaQuery query, CancellationToken cancellationToken);

    /// <summary>Claims a ticket-feed event for handling: true the first time its id is seen (on any replica of the store), or
    /// when an earlier claim was never finished and its <paramref name="lease"/> is over; false otherwise, with what the
    /// earlier handling recorded (<see cref="TicketEvent.KnownTicket"/> null: still being handled).</summary>
    Task<(bool Claimed, TicketEvent? Earlier)> ClaimEventAsync(TicketEvent ticketEvent, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records what handling a claimed event did (the decision it made, whether its ticket was known) and, with
    /// <paramref name="writeBackAt"/>, queues its finding's write-back, in one statement.</summary>
    Task CompleteEventAsync(string eventId, string? decisionId, bool knownTicket, DateTimeOffset? writeBackAt, CancellationToken cancellationToken);

    /// <summary>Lets a claimed event go (its handling failed), so that its redelivery is handled.</summary>
    Task ReleaseEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The ticket-feed events handled, newest first, at most <paramref name="limit"/>; only those whose ticket the
    /// service had not seen, when <paramref name="unknownOnly"/>.</summary>
    Task<IReadOnlyList<TicketEvent>> ListEventsAsync(int limit, bool unknownOnly, CancellationToken cancellationToken);

    /// <summary>The write-backs due by <paramref name="now"/>, the longest waiting first.</summary>
    Task<IReadOnlyList<WriteBackEntry>> DueWriteBacksAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Takes a due write-back for this replica until <paramref name="until"/>; false when another replica took it.</summary>
    Task<bool> TakeWriteBackAsync(WriteBackEntry entry, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Records an attempt: <c>done</c>, <c>pending</c> again (with the next attempt's time) or <c>dead</c>.</summary>
    Task FinishWriteBackAsync(string eventId, string state, int attempts, DateTimeOffset? nextAt, string? failure, CancellationToken cancellationToken);

    /// <summary>Write-backs by state (pending, done, dead).</summary>
    Task<IReadOnlyDictionary<string, long>> WriteBackCountsAsync(CancellationToken cancellationToken);

    /// <summary>Each complaint since <paramref name="since"/> by its ticket's latest live diagnosis, newest first, at most
    /// <paramref name="limit"/>, as the record's overview counts it.</summary>
    IAsyncEnumerable<OverviewRow> OverviewAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>The latest live diagnosis of each ticket with a confirmed cause, since <paramref name="since"/>, in recording order, for replay.</summary>
    /// <param name="part">Only the decisions from its first id and before its end (<see cref="SplitAsync"/>); null: all.</param>
    IAsyncEnumerable<ReplayRow> ReplayAsync(DateTimeOffset since, ReplayPart? part, CancellationToken cancellationToken);

    /// <summary>The record since <paramref name="since"/> cut into <paramref name="parts"/> ranges of decision ids holding about
    /// as many decisions each, so that a replay reads them side by side (some empty when there are fewer decisions).</summary>
    Task<IReadOnlyList<ReplayPart>> SplitAsync(DateTimeOffset since, int parts, CancellationToken cancellationToken);

    /// <summary>A proposal's shadow decisions beside the live answers they shadow, newest first, at most <paramref name="limit"/>.</summary>
    IAsyncEnumerable<ShadowPair> ShadowAsync(string proposal, int limit, CancellationToken cancellationToken);

    /// <summary>Erases every decision and outcome of a ticket, and keeps the erasure (at <paramref name="at"/>), so that a decision
    /// of the ticket made before it and written later (from a queue or a spool) is not kept; the number of decisions erased.</summary>
    Task<int> EraseTicketAsync(string ticketId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes what was recorded before <paramref name="before"/>, a little at a time; the number of decisions deleted.</summary>
    Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>A decision as read back, with its ticket's confirmed cause when one came and its rules' Git commit when known.</summary>
public sealed record StoredDecision(DecisionRecord Record, StoredOutcome? Outcome, string? GitCommit = null);

public sealed record StoredOutcome(string ConfirmedCause, DateTimeOffset? ResolvedAt, DateTimeOffset ReceivedAt);

/// <param name="After">The last id of the previous page (keyset paging, newest first).</param>
public sealed record DecisionFilter(
    string? TicketId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Cause = null,
    string? Rule = null,
    string? RulesVersion = null,
    string? Mode = null,
    int Limit = 50,
    string? After = null);

/// <summary>One confirmed cause as the store keeps it: <paramref name="EventId"/> is the sender's, or made from the
/// content when none was sent (the same outcome sent twice is one event).</summary>
public sealed record OutcomeWrite(string TicketId, string ConfirmedCause, DateTimeOffset? ResolvedAt, string EventId);

public sealed record OutcomeCounts(int Recorded, int Duplicates, IReadOnlyList<OutcomeConflict> Conflicts);

/// <summary>An outcome whose (ticket, event) is on record with another cause: not a repeat, and not recorded over it.</summary>
public sealed record OutcomeConflict(string TicketId, string EventId, string Recorded, string Given);

/// <summary>A row's live diagnoses: <paramref name="ConfirmedAs"/> counts its tickets with an outcome, by confirmed cause.</summary>
public sealed record RuleTally(string Workflow, string Rule, string Cause, long Hits, IReadOnlyDictionary<string, long> ConfirmedAs);

/// <param name="Cells">Grid cells to search (<see cref="AreaGrid"/>), from the coordinates and radius; empty without coordinates.</param>
/// <param name="Box">Within the cells, the box around the circle (min/max latitude and longitude), so only near ones are read.</param>
/// <param name="Place">The location description to match where either side has no coordinates: with <paramref name="Cells"/>
/// given (this complaint has coordinates), only recorded complaints without coordinates are matched by it.</param>
/// <param name="StillUnresolvedAs">Confirmed causes that still count as unresolved; a ticket with no confirmed cause always does.</param>
public sealed record AreaQuery(
    IReadOnlyList<long> Cells, (double MinLat, double MaxLat, double MinLon, double MaxLon)? Box, string? Place, IReadOnlyList<string> ComplaintTypes,
    IReadOnlyList<string> StillUnresolvedAs, DateTimeOffset Since, string? ExceptTicket, int Limit);

public sealed record AreaNeighbour(string DecisionId, string? TicketId, double? Latitude, double? Longitude, string? Place, DateTimeOffset RecordedAt, string? ConfirmedCause);

/// <summary>A shadow decision beside the live answer it shadows.</summary>
/// <param name="ConfirmedCause">The ticket's confirmed cause, when it has come back.</param>
/// <param name="RulesVersion">The proposal's rules that answered (a proposal revised since has other rules).</param>
public sealed record ShadowPair(string DecisionId, DateTimeOffset RecordedAt, string? TicketId, string ShadowAnswer, string LiveAnswer, string? ConfirmedCause,
    string RulesVersion);

/// <summary>A range of decision ids: from <paramref name="From"/> (null: the start) and before <paramref name="Before"/> (null: the end),
/// of the record as it stood when it was cut (through its newest decision then, <paramref name="Through"/>).
/// <paramref name="Index"/> of <paramref name="Count"/>, and about how many decisions come before it (<paramref name="Offset"/>).</summary>
public sealed record ReplayPart(int Index, int Count, string? From, string? Before, string Through, long Offset);

/// <summary>A recorded complaint for replay: its request JSON (UTF-8), what it was answered, what its ticket was confirmed
/// as, and what the area look-up gave the rules when the complaint left it unknown.</summary>
/// <param name="ConfirmedCause">The ticket's confirmed cause, when it has come back.</param>
public sealed record ReplayRow(string DecisionId, string? TicketId, byte[] Request, string Cause, string? ConfirmedCause, bool? LookedUpSimilar = null)
{
    /// <summary>The complaint as the rules saw it: with what the area look-up gave them (null: nothing was looked up). The
    /// record keeps the complaint as received, so whatever answers it again (replay, reproduce, shadow) starts here.</summary>
    public static Contracts.DiagnoseRequest AsLookedUp(Contracts.DiagnoseRequest request, bool? similar) => similar is { } value
        ? request with { Network = (request.Network ?? new Contracts.NetworkFindings()) with { SimilarUnresolvedComplaints = value } }
        : request;
}

/// <summary>A live diagnosis as the record's overview reads it: when, the cause answered, and where (the grid cell of
/// <see cref="AreaGrid"/> and the place described, when the complaint gave them).</summary>
public sealed record OverviewRow(DateTimeOffset RecordedAt, string Cause, double? Latitude, double? Longitude, long? AreaCell, string? Place);

/// <summary>An event of the TMF621 trouble-ticket feed as the record keeps it: its id, type (troubleTicketCreateEvent,
/// ...StatusChangeEvent, ...ResolvedEvent), ticket, when it arrived, the decision it made (a created complaint) and whether
/// its ticket had a decision on record (null until handled).</summary>
public sealed record TicketEvent(string EventId, string EventType, string? TicketId, DateTimeOffset ReceivedAt, string? DecisionId = null, bool? KnownTicket = null)
{
    /// <summary>Its finding's write-back to the ticket system, when there is one.</summary>
    public WriteBackState? WriteBack { get; init; }
}

/// <param name="State"><c>pending</c>, <c>done</c>, or <c>dead</c> (every attempt failed: the dead letter).</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record WriteBackState(string State, int Attempts, string? LastError);

/// <summary>A finding waiting to be written back to the ticket system: the event, its ticket and decision, the attempts
/// made, and when the next is due.</summary>
public sealed record WriteBackEntry(string EventId, string? TicketId, string? DecisionId, int Attempts, DateTimeOffset NextAt);

