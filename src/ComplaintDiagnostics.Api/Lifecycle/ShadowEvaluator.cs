using System.Diagnostics.Metrics;
using System.Threading.Channels;
using ComplaintDiagnostics.Api.Record;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Lifecycle;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Recording;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Lifecycle;

/// <summary>
/// Shadow evaluation (contract, "Rule lifecycle"): a live diagnosis whose answer is on its way is offered here, and for each
/// proposal in shadow (its percentage drawn per complaint) one worker answers the same complaint with the proposal's rules
/// and records that as a shadow decision linked to the live one. The request thread only puts work in a bounded queue;
/// when the queue is full the work is dropped and counted (<c>complaintdiagnostics_shadow_dropped_total</c>), and the live
/// answer never waits. Which proposals are in shadow is read from the lifecycle every poll, so every replica follows.
/// </summary>
internal sealed partial class ShadowEvaluator(
    RuleLifecycle lifecycle, IOptions<RulesOptions> rules, Diagnoser diagnoser, DecisionRecorder recorder, IOptions<JsonOptions> json,
    TimeProvider time, ILogger<ShadowEvaluator> logger, IMeterFactory meters) : BackgroundService
{
    /// <summary>Complaints waiting for their shadow evaluations; more are dropped.</summary>
    public const int QueueCapacity = 10_000;

    private readonly Channel<ShadowWork> _queue = Channel.CreateBounded<ShadowWork>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Counter<long> _droppedCounter = meters.Create("ComplaintDiagnostics.Shadow")
        .CreateCounter<long>("complaintdiagnostics_shadow_dropped", description: "Shadow evaluations dropped because the shadow queue was full");
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Shadowed[] _shadowed = [];
    private long _dropped;
    private string? _lastError;

    /// <summary>Shadow evaluations this replica dropped since it started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Offers a live diagnosis (already recorded) to the proposals in shadow; never waits.</summary>
    /// <param name="recordedRequest">The complaint as the live decision was recorded: the shadow decision keeps the same.</param>
    public void Offer(DiagnoseRequest request, DiagnoseResponse sent, string recordedRequest)
    {
        var shadowed = _shadowed;
        if (shadowed.Length == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var proposal in shadowed)
        {
            if (now >= proposal.Until || (proposal.Percent < 100 && Random.Shared.Next(100) >= proposal.Percent))
            {
                continue;
            }
            if (!_queue.Writer.TryWrite(new ShadowWork(proposal, request, sent, recordedRequest)))
            {
                Interlocked.Increment(ref _dropped);
                _droppedCounter.Add(1);
            }
        }
    }

    /// <summary>Reads which proposals are in shadow now (each replica every poll; this one also after a change here).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var next = new List<Shadowed>();
            foreach (var proposal in lifecycle.State().Proposals)
            {
                if (proposal is not { Status: ProposalStatus.Open, Shadow: { } shadow } || !shadow.IsOn(now))
                {
                    continue;
                }
                var rulesAt = _shadowed.FirstOrDefault(s => s.Id == proposal.Id && s.Head == proposal.Head)?.Rules
                    ?? (await RuleSetCompiler.CompileAsync(lifecycle.RulesAt(proposal.Head), now, cancellationToken)).RuleSet;
                if (rulesAt is not null)
                {
                    next.Add(new Shadowed(proposal.Id, proposal.Head, shadow.Percent, shadow.Until, rulesAt));
                }
            }
            _shadowed = [.. next];
            _lastError = null;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!rules.Value.IsReleaseMode)
        {
            return;
        }
        var refresh = RefreshLoopAsync(stoppingToken);
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await EvaluateAsync(work, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogEvaluationFailed(ex, work.Proposal.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: shadow work still queued is not the customer's and is let go.
        }
        await refresh;
    }

    private async Task RefreshLoopAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(0.2, rules.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
                await Task.Delay(every, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Core.Rules.History.GitRulesException or IOException or System.Text.Json.JsonException or LifecycleException)
            {
                if (ex.Message != _lastError)
                {
                    _lastError = ex.Message;
                    LogRefreshFailed(Privacy.Clean(ex.Message));
                }
                await Task.Delay(every, stoppingToken);
            }
        }
    }

    private async Task EvaluateAsync(ShadowWork work, CancellationToken cancellationToken)
    {
        var answer = await diagnoser.DiagnoseAsync(work.Proposal.Rules, AreaLookup.AsLookedUp(work.Request, DecisionLog.LookedUp(work.Sent)),
            [work.Sent.Reply.Language], cancellationToken);
        var at = time.GetUtcNow();
        var shadow = answer with { DecisionId = DecisionId.New(at), TicketId = work.Sent.TicketId };
        recorder.TryRecord(DecisionLog.Build(work.Proposal.Rules, work.Request, shadow, at, json.Value.SerializerOptions, work.RecordedRequest) with
        {
            Mode = DecisionMode.Shadow,
            Release = null,
            ShadowOf = work.Sent.DecisionId,
            Proposal = work.Proposal.Id,
            LookedUpSimilar = DecisionLog.LookedUp(work.Sent),
        });
    }

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Shadow evaluation of proposal {Proposal} failed; the live answer was not affected")]
    private partial void LogEvaluationFailed(Exception exception, string proposal);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Which proposals are in shadow could not be read ({Reason}); the last known ones go on")]
    private partial void LogRefreshFailed(string reason);

    private sealed record Shadowed(string Id, string Head, int Percent, DateTimeOffset Until, RuleSet Rules);

    private sealed record ShadowWork(Shadowed Proposal, DiagnoseRequest Request, DiagnoseResponse Sent, string RecordedRequest);
}
