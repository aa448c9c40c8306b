using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Expressions;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules.Compiling;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.ExpressionBuilders;

namespace ComplaintDiagnostics.Core.Rules.Expressions;

/// <summary>
/// The compiler's expression stage: parses every rule's local parameters and expression exactly as RulesEngine
/// will, and checks the parsed tree against <see cref="RuleLanguage"/>. Whatever the parser throws for whatever
/// text (a method typo, wrong arity, unbalanced parentheses) becomes a problem located at the rule, never an
/// exception: nothing reaches the engine that has not parsed and passed here.
/// </summary>
internal static class ExpressionChecker
{
    /// <summary>One parser for the process: it scans the loaded assemblies for Dynamic LINQ types once, on
    /// first use. Parsing is thread-safe (each call builds its own parser state).</summary>
    private static readonly RuleExpressionParser Parser = new(EngineSettings.Create());

    /// <summary>Every problem in the rules' expressions, one per rule at most.</summary>
    public static IEnumerable<RuleProblem> Check(IEnumerable<LoadedWorkflow> workflows)
    {
        foreach (var workflow in workflows)
        {
            foreach (var rule in workflow.Rules)
            {
                if (Check(rule, workflow.Role) is { } problem)
                {
                    yield return problem;
                }
            }
        }
    }

    /// <summary>What the engine is called with: a local parameter of the same name would clash with it.</summary>
    private static readonly SortedSet<string> InputNames = new SortedSet<string>(
        [RuleSetCompiler.TicketParameter, RuleSetCompiler.DiagnosisParameter, RuleSetCompiler.FollowUpParameter, Serving.EngineShapes.HitsParameter],
        StringComparer.OrdinalIgnoreCase);

    private static RuleProblem? Check(LoadedRule rule, WorkflowRole role)
    {
        var parameters = new List<ParameterExpression> { Expression.Parameter(typeof(ComplaintTicket), RuleSetCompiler.TicketParameter) };
        if (role is WorkflowRole.Policy or WorkflowRole.Escalation)
        {
            parameters.Add(Expression.Parameter(typeof(DiagnosisFacts), RuleSetCompiler.DiagnosisParameter));
        }
        if (role == WorkflowRole.Escalation)
        {
            parameters.Add(Expression.Parameter(typeof(FollowUpFacts), RuleSetCompiler.FollowUpParameter));
        }
        if (rule.LocalParams.Count > RuleLanguage.MaxLocalParams)
        {
            return new RuleProblem(rule.File, rule.Line, rule.Column, rule.Name,
                $"the rule has {rule.LocalParams.Count} local parameters; at most {RuleLanguage.MaxLocalParams} are accepted.");
        }
        for (var i = 0; i < rule.LocalParams.Count; i++)
        {
            var (name, text) = rule.LocalParams[i];
            var line = i < rule.LocalParamLines.Count ? rule.LocalParamLines[i] : rule.Line;
            if (InputNames.Contains(name))
            {
                return new RuleProblem(rule.File, line, rule.Column, rule.Name,
                    $"local parameter '{name}': the name is one of the service's inputs ({string.Join(", ", InputNames)}); choose another.");
            }
            var (local, problem) = Parse(rule, text, [.. parameters], returnType: null, $"local parameter '{name}': ", line);
            if (problem is not null)
            {
                return problem;
            }
            parameters.Add(Expression.Parameter(local!.Type, name));
        }
        return Parse(rule, rule.Expression, [.. parameters], typeof(bool), "", rule.Line).Problem;
    }

    /// <param name="line">The line the text is on (a local parameter's own line, or the expression's).</param>
    private static (Expression? Parsed, RuleProblem? Problem) Parse(
        LoadedRule rule, string text, ParameterExpression[] parameters, Type? returnType, string what, int line)
    {
        RuleProblem At(string message, int? position = null) =>
            new(rule.File, line, position is { } p && what.Length == 0 ? rule.Column + p : rule.Column, rule.Name, what + message);

        if (text.Length > RuleLanguage.MaxLength)
        {
            return (null, At($"the expression is {text.Length} characters long; at most {RuleLanguage.MaxLength} are accepted. Split the condition over several rules."));
        }
        if (SingleEquals(text) is { } at)
        {
            // Dynamic LINQ reads '=' as '==', but a reader sees an assignment: ask for the unambiguous form.
            return (null, At("a single '=' compares in this language but reads as an assignment: write '==' to compare.", at));
        }
        Expression parsed;
        try
        {
            parsed = Parser.Parse(text, parameters, returnType);
        }
        catch (ParseException ex)
        {
            return (null, At($"the expression does not compile: {EngineErrors.Simplify(ex.Message)}{Suggestions.For(ex.Message, parameters)}", ex.Position));
        }
#pragma warning disable CA1031 // Any exception the parser throws for any text is a problem of that text, reported at the rule.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, At($"the expression does not compile: {EngineErrors.Simplify(ex.Message)}{Suggestions.For(ex.Message, parameters)}"));
        }
        var visitor = new PolicyVisitor();
        visitor.Visit(parsed);
        if (visitor.Found is { } violation)
        {
            return (null, At(violation));
        }
        if (visitor.Nodes > RuleLanguage.MaxNodes)
        {
            return (null, At($"the expression has {visitor.Nodes} parts; at most {RuleLanguage.MaxNodes} are accepted. Split the condition over several rules."));
        }
        return (parsed, null);
    }

    /// <summary>The position of a lone '=' outside text literals (not part of ==, !=, &lt;=, &gt;=, =&gt;), or null.</summary>
    private static int? SingleEquals(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '=' && (i == 0 || text[i - 1] is not ('=' or '!' or '<' or '>'))
                && (i + 1 == text.Length || text[i + 1] is not ('=' or '>')))
            {
                return i;
            }
        }
        return null;
    }

    /// <summary>Walks the parsed tree, children first, so that the innermost offence is the one named.</summary>
    private sealed class PolicyVisitor : ExpressionVisitor
    {
        private int _listTests;

        public string? Found { get; private set; }

        public int Nodes { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || Found is not null)
            {
                return node;
            }
            Nodes++;
            if (!RuleLanguage.Nodes.Contains(node.NodeType))
            {
                Found = node.NodeType switch
                {
                    ExpressionType.New or ExpressionType.NewArrayBounds or ExpressionType.MemberInit or ExpressionType.ListInit =>
                        $"creating a '{node.Type.Name}' is not allowed in a rule.",
                    ExpressionType.Assign => "'=' assigns: compare with '=='.",
                    _ => $"'{node.NodeType}' is not allowed in a rule.",
                };
                return node;
            }
            return base.Visit(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var listTest = node.Method.DeclaringType == typeof(Enumerable);
            var hasCondition = listTest && node.Arguments.Any(a => a.NodeType is ExpressionType.Lambda or ExpressionType.Quote);
            if (hasCondition && _listTests > 0)
            {
                Found ??= $"'{node.Method.Name}' inside another list test's condition is not allowed: test one list at a time.";
            }
            _listTests += hasCondition ? 1 : 0;
            try
            {
                base.VisitMethodCall(node);
            }
            finally
            {
                _listTests -= hasCondition ? 1 : 0;
            }
            Found ??= RuleLanguage.Refusal(node.Method);
            if (node.Method.DeclaringType == typeof(Tickets.ComplaintTicket))
            {
                // ticket.Unknown("billing", ...) / ticket.Fields(...): each path a field of the request.
                foreach (var path in node.Arguments.OfType<NewArrayExpression>().SelectMany(a => a.Expressions).OfType<ConstantExpression>()
                    .Select(c => c.Value as string).Where(p => p is not null && !Tickets.RequestFields.Exists(p)))
                {
                    Found ??= Tickets.RequestFields.NotAField(path!);
                }
            }
            if (listTest && !node.Arguments[0].Type.IsArray)
            {
                Found ??= $"'{node.Method.Name}' works on lists written in the rule (new[] {{ ... }}) or returned by ticket.Unknown/Fields only.";
            }
            return node;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            if (_listTests == 0)
            {
                Found ??= "a '=>' condition is only allowed inside a list test (Any, All, Count).";
            }
            return Found is null ? base.VisitLambda(node) : node;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            base.VisitMember(node);
            Found ??= RuleLanguage.Refusal(node.Member);
            return node;
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            base.VisitBinary(node);
            if (node.Method is { } method)
            {
                Found ??= RuleLanguage.Refusal(method);
            }
            return node;
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            base.VisitUnary(node);
            if (node.Method is { } method)
            {
                Found ??= RuleLanguage.Refusal(method);
            }
            if (node.NodeType == ExpressionType.Convert && !RuleLanguage.IsConvertibleTo(node.Type))
            {
                Found ??= $"converting to '{node.Type.Name}' is not allowed in a rule.";
            }
            return node;
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (!RuleLanguage.IsLiteral(node.Type) || node.Value is Type or System.Reflection.MemberInfo or System.Reflection.Assembly)
            {
                Found ??= $"a '{node.Type.Name}' value is not allowed in a rule: use numbers, text, true/false, null or a field's values.";
            }
            return node;
        }
    }
}
