using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>How RulesEngine is configured for every rule set: the one place its settings live.</summary>
public static class EngineSettings
{
    public static ReSettings Create() => new()
    {
        CustomTypes = [typeof(ComplaintTicket), typeof(DiagnosisFacts), typeof(FollowUpFacts), typeof(Serving.FirstHits)],
        // The input types are listed above. Left on, RulesEngine 6.0.1 replaces CustomTypes with a new
        // array each time it compiles a workflow, which drops its parser's cached configuration and rescans
        // every loaded assembly for Dynamic LINQ types: turning it off took a reload from 95 ms to 30 ms.
        AutoRegisterInputType = false,
        IsExpressionCaseSensitive = false,
        // The hot path never shows RulesEngine's formatted messages or runs its actions.
        EnableFormattedErrorMessage = false,
        AutoExecuteActions = false,
        // Errors stay per rule (shown in the trace) instead of failing the whole request.
        EnableExceptionAsErrorMessage = true,
        UseFastExpressionCompiler = true,
        // The served workflows are one "OrElse" rule over the rules in file order (see RuleSetCompiler):
        // in this mode RulesEngine stops at the first child that matches, which is the hit policy itself.
        // It does not change workflows as written, whose rules are all top level.
        NestedRuleExecutionMode = NestedRuleExecutionMode.Performance,
        // An engine lives as long as its rule set, and its caches hold one entry per expression and per
        // workflow. The default bound (1,000) would make a large rule set compile each expression twice:
        // once validated as written, once served.
        CacheConfig = new RulesEngine.HelperFunctions.MemCacheConfig { SizeLimit = int.MaxValue },
    };
}
