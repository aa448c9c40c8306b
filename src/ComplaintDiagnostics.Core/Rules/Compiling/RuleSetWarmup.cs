using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: every workflow as written runs on sample complaints at load, so that a rule that fails is named
/// before anything is served (the served shapes are then warmed by <see cref="Serving.RuleServer.WarmAsync"/>).</summary>
internal static class RuleSetWarmup
{
    /// <summary>Tickets in progress the escalation workflow is warmed on: open, closed, every kind of overdue.</summary>
    private static readonly FollowUpFacts[] FollowUpSamples =
    [
        new(),
        new() { Closed = true },
        new() { ContactByOverdue = true, Postponements = 2 },
        new() { OnSiteByOverdue = true },
        new() { ResolveByOverdue = true, ResolveOverdueMinutes = 600, ResolveAllowedMinutes = 240 },
        new() { ResolveByOverdue = true, ResolveOverdueMinutes = 10, ResolveAllowedMinutes = 240 },
    ];

    /// <summary>
    /// Runs every workflow as written on sample complaints so that RulesEngine compiles all expressions now,
    /// and turns any expression that does not compile, or fails on a sample, into a located problem. A workflow
    /// whose run throws (rather than reporting per rule) is run rule by rule to name the rule at fault.
    /// </summary>
    public static async Task WarmAsync(
        Serving.RuleServer server,
        IReadOnlyDictionary<ComplaintType, LoadedWorkflow> diagnosis,
        IReadOnlyList<LoadedWorkflow> policies,
        LoadedWorkflow? escalation,
        List<RuleProblem> problems,
        Progress progress,
        CancellationToken cancellationToken)
    {
        var reported = new HashSet<(string, string)>();
        var samples = diagnosis.Keys.SelectMany(SampleTickets.For).Select(r => new ComplaintTicket(r)).ToList();
        var facts = new DiagnosisFacts(DiagnosisStatus.Diagnosed, "WARM_UP", Route.FrontDesk);
        var runs = diagnosis.SelectMany(d => SampleTickets.For(d.Key).Select(r =>
                (Workflow: d.Value, Inputs: new[] { new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(r)), Serving.RuleServer.NoHits })))
            .Concat(policies.SelectMany(p => samples.Select(t =>
                (Workflow: p, Inputs: new[] { new RuleParameter(RuleSetCompiler.TicketParameter, t), new RuleParameter(RuleSetCompiler.DiagnosisParameter, facts), Serving.RuleServer.NoHits }))))
            .Concat((escalation is null ? [] : new[] { escalation }).SelectMany(w => samples.Take(4).SelectMany(t => FollowUpSamples.Select(f =>
                (Workflow: w, Inputs: new[]
                {
                    new RuleParameter(RuleSetCompiler.TicketParameter, t), new RuleParameter(RuleSetCompiler.DiagnosisParameter, facts),
                    new RuleParameter(RuleSetCompiler.FollowUpParameter, f), Serving.RuleServer.NoHits,
                })))));
        foreach (var (workflow, inputs) in runs)
        {
            progress.Current = (workflow, null);
            try
            {
                var results = await server.RunAsWrittenAsync(workflow, inputs, cancellationToken).ConfigureAwait(false);
                Report(workflow, results, problems, reported);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A throw from the engine is a problem of a rule: find which.
            catch (Exception)
#pragma warning restore CA1031
            {
                await BlameAsync(server, workflow, inputs, problems, reported, progress, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs each rule of <paramref name="workflow"/> on its own and reports those that throw.</summary>
    private static async Task BlameAsync(
        Serving.RuleServer server, LoadedWorkflow workflow, RuleParameter[] inputs,
        List<RuleProblem> problems, HashSet<(string, string)> reported, Progress progress, CancellationToken cancellationToken)
    {
        foreach (var rule in workflow.Rules)
        {
            progress.Current = (workflow, rule);
            try
            {
                await server.RunAsWrittenAsync(workflow, rule, inputs).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Reported at the rule.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (reported.Add((workflow.Name, rule.Name)))
                {
                    problems.Add(new RuleProblem(rule.File, rule.Line, rule.Column, rule.Name,
                        $"the expression fails on a sample complaint: {EngineErrors.Simplify(ex.Message)}"));
                }
            }
        }
    }

    private static void Report(LoadedWorkflow workflow, List<RuleResultTree> results, List<RuleProblem> problems, HashSet<(string, string)> reported)
    {
        foreach (var result in results)
        {
            if (string.IsNullOrEmpty(result.ExceptionMessage) || !reported.Add((workflow.Name, result.Rule.RuleName)))
            {
                continue;
            }
            var rule = workflow.Rules.First(r => r.Name == result.Rule.RuleName);
            problems.Add(new RuleProblem(rule.File, rule.Line, rule.Column, rule.Name, EngineErrors.Describe(result.ExceptionMessage)));
        }
    }

    /// <summary>Which workflow (and, when known, rule) the warm-up is running: what a refusal for time names.</summary>
    public sealed class Progress
    {
        private (LoadedWorkflow?, LoadedRule?) _current;

        public (LoadedWorkflow? Workflow, LoadedRule? Rule) Current
        {
            get { lock (this) { return _current; } }
            set { lock (this) { _current = value; } }
        }
    }
}
