using System.Linq.Expressions;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>
/// What a rule expression may touch: the complaint's fields, literals, operators, and a small allow-list of
/// string, math, date and collection helpers. Anything that reaches the type system or reflection
/// (<c>GetType()</c>, <c>Assembly</c>, <c>typeof</c>, <c>Activator</c>, ...) is refused at load and by lint.
/// The check runs on the parsed expression tree, so spelling tricks (spaces, casing) do not get around it.
/// </summary>
internal static class ExpressionPolicy
{
    private static readonly HashSet<Type> DataTypes =
    [
        typeof(ComplaintTicket), typeof(DiagnosisFacts), typeof(FrontDeskChecks), typeof(Contracts.Terminal), typeof(Location),
        typeof(NetworkFindings), typeof(Customer), typeof(Array), typeof(string), typeof(DateTimeOffset), typeof(DateTime), typeof(TimeSpan),
    ];

    private static readonly HashSet<Type> HelperTypes = [typeof(string), typeof(Math), typeof(Enumerable), typeof(DateTimeOffset), typeof(DateTime), typeof(TimeSpan), typeof(char)];

    private static readonly HashSet<string> TicketMethods = [nameof(ComplaintTicket.Unknown), nameof(ComplaintTicket.Fields)];

    private static readonly HashSet<string> ValueMethods = ["Equals", "CompareTo", "ToString", "HasValue", "GetValueOrDefault"];

    /// <summary>The first thing in <paramref name="expression"/> that rules may not use, or null.</summary>
    public static string? Violation(Expression expression)
    {
        var visitor = new Visitor();
        visitor.Visit(expression);
        return visitor.Found;
    }

    private sealed class Visitor : ExpressionVisitor
    {
        public string? Found { get; private set; }

        public override Expression? Visit(Expression? node) => Found is null ? base.Visit(node) : node;

        // Children first, so that the innermost offence (GetType, not the .Name read from its result) is named.
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var visited = base.VisitMethodCall(node);
            if (Found is not null)
            {
                return visited;
            }
            var method = node.Method;
            var type = method.DeclaringType!;
            var allowed = type == typeof(ComplaintTicket) ? TicketMethods.Contains(method.Name)
                : HelperTypes.Contains(type) || (method.Name != "GetType" && ValueMethods.Contains(method.Name) && IsValue(type));
            if (!allowed)
            {
                Found = $"'{method.Name}' ({type.Name}) is not allowed in a rule: use the complaint's fields, operators and string, math, date or list helpers.";
            }
            return visited;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            var visited = base.VisitMember(node);
            if (Found is not null)
            {
                return visited;
            }
            var type = node.Member.DeclaringType!;
            if (!(DataTypes.Contains(type) || type.IsArray || IsValue(type) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))))
            {
                Found = $"'{node.Member.Name}' ({type.Name}) is not allowed in a rule: only the complaint's fields may be read.";
            }
            return visited;
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is Type or System.Reflection.MemberInfo or System.Reflection.Assembly)
            {
                Found = "types and reflection are not allowed in a rule.";
            }
            return base.VisitConstant(node);
        }

        protected override Expression VisitNew(NewExpression node)
        {
            if (!IsValue(node.Type) && !DataTypes.Contains(node.Type))
            {
                Found = $"creating a '{node.Type.Name}' is not allowed in a rule.";
            }
            return base.VisitNew(node);
        }

        private static bool IsValue(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(string) || type == typeof(object)
            || (Nullable.GetUnderlyingType(type) is { } inner && (inner.IsPrimitive || inner.IsEnum));
    }
}
