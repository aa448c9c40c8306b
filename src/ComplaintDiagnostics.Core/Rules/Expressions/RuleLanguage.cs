using System.Linq.Expressions;
using System.Reflection;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Core.Rules.Expressions;

/// <summary>
/// The one list of what a rule expression may use, member by member: reading the complaint's fields (never
/// personal data), literals, comparisons, boolean logic, arithmetic, null checks, <c>iif</c>, <c>np</c>, the
/// ticket's helpers and a few text, number, date and list members that cannot allocate without bound or loop.
/// Anything not on the list is refused at load and by lint, naming the member. docs/security.md and
/// rules/README.md describe the same list; tests walk it member by member.
/// </summary>
/// <remarks>
/// Why evaluation is bounded by construction: no member here loops except the list tests
/// (<c>Any</c>, <c>All</c>, <c>Count</c>, <c>Contains</c>), whose lists are arrays written in the expression or
/// returned by <c>ticket.Unknown</c>/<c>ticket.Fields</c> (no longer than their arguments); a list test may not
/// sit inside another list test's condition; and an expression has at most <see cref="MaxNodes"/> nodes. So one
/// evaluation takes at most about <see cref="MaxNodes"/>² steps on text no longer than the request limits allow,
/// and allocates at most what the ticket's helpers return: there is no rule that can run for seconds or take
/// memory in gigabytes, so there is nothing at request time to interrupt.
/// </remarks>
public static class RuleLanguage
{
    /// <summary>The longest expression (or local parameter) accepted, in characters.</summary>
    public const int MaxLength = 2_000;

    /// <summary>The most nodes an expression's parsed tree may have.</summary>
    public const int MaxNodes = 400;

    /// <summary>The most local parameters a rule may have (each is an expression of its own).</summary>
    public const int MaxLocalParams = 10;

    /// <summary>The types whose public properties are the complaint's fields.</summary>
    private static readonly Type[] DataTypes =
    [
        typeof(ComplaintTicket), typeof(FrontDeskChecks), typeof(Contracts.Terminal), typeof(Location),
        typeof(NetworkFindings), typeof(Customer), typeof(DiagnosisFacts), typeof(FollowUpFacts),
    ];

    /// <summary>Fields that are personal data: a rule has no reason to read them, and a trace or an error
    /// message must never be able to carry them.</summary>
    private static readonly HashSet<MemberInfo> Personal = [.. Tickets.RequestFields.PersonalProperties];

    /// <summary>Members of value types a rule may read, by declaring type.</summary>
    private static readonly Dictionary<Type, string[]> ValueMembers = new()
    {
        [typeof(string)] = ["Length"],
        [typeof(DateTimeOffset)] = ["Year", "Month", "Day", "Hour", "Minute", "DayOfWeek", "Offset"],
        [typeof(TimeSpan)] = ["TotalMinutes", "TotalHours", "TotalDays"],
    };

    /// <summary>Methods a rule may call, by declaring type (any overload, unless <see cref="Allowed(MethodInfo)"/>
    /// narrows it).</summary>
    private static readonly Dictionary<Type, string[]> Methods = new()
    {
        [typeof(ComplaintTicket)] = [nameof(ComplaintTicket.Unknown), nameof(ComplaintTicket.Fields)],
        [typeof(string)] =
        [
            "Contains", "StartsWith", "EndsWith", "Equals", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Compare", "CompareTo",
            // Each returns text no longer than its input, and request text is bounded (Diagnose:MaxTextLength).
            "Trim", "ToLower", "ToUpper", "ToLowerInvariant", "ToUpperInvariant",
        ],
        [typeof(Math)] = ["Abs", "Min", "Max"],
        [typeof(Enumerable)] = ["Contains", "Any", "All", "Count"],
    };

    /// <summary>Operator methods the parser uses for <c>==</c>, <c>&lt;</c>, <c>-</c> on these types.</summary>
    private static readonly Type[] OperatorTypes = [typeof(string), typeof(decimal), typeof(DateTimeOffset), typeof(TimeSpan)];

    private static readonly string[] StringOperators = ["op_Equality", "op_Inequality"];

    /// <summary>What a rule may use, for the refusal messages and the docs.</summary>
    public static string Summary =>
        "the complaint's fields (ticket.*, and diagnosis.* in policies, followUp.* in the escalation), literals, == != < <= > >=, && || !, + - * / %, "
        + "null checks, iif(...), np(...), ticket.Unknown(...), ticket.Fields(...); on text: "
        + string.Join(", ", ValueMembers[typeof(string)].Concat(Methods[typeof(string)]))
        + "; on lists: Length, " + string.Join(", ", Methods[typeof(Enumerable)])
        + "; Math." + string.Join(", Math.", Methods[typeof(Math)])
        + "; on ticket.ReceivedAt: " + string.Join(", ", ValueMembers[typeof(DateTimeOffset)]);

    /// <summary>What a rule may use on a list.</summary>
    public static IEnumerable<string> ListMembers => ["Length", .. Methods[typeof(Enumerable)]];

    /// <summary>The names a rule may use on the type called <paramref name="typeName"/> (fields, members, methods).</summary>
    public static IEnumerable<string> NamesOn(string typeName)
    {
        var type = DataTypes.Concat(ValueMembers.Keys).Concat(Methods.Keys)
            .FirstOrDefault(t => t.Name == typeName || t.FullName == typeName);
        if (type is null)
        {
            return [];
        }
        var fields = DataTypes.Contains(type)
            ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => !Personal.Contains(p)).Select(p => p.Name)
            : [];
        return fields.Concat(ValueMembers.GetValueOrDefault(type) ?? []).Concat(Methods.GetValueOrDefault(type) ?? []);
    }

    /// <summary>Whether a rule may read <paramref name="member"/>, and if not, why.</summary>
    public static string? Refusal(MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var type = member.DeclaringType!;
        if (Personal.Contains(member))
        {
            return $"'{member.Name}' is personal data: rules may not read it.";
        }
        if (member is PropertyInfo property && property.GetMethod is { IsStatic: false, IsPublic: true } && DataTypes.Contains(type))
        {
            return null;
        }
        if (Nullable.GetUnderlyingType(type) is not null && member.Name is "HasValue" or "Value")
        {
            return null;
        }
        if (ValueMembers.TryGetValue(type, out var names) && names.Contains(member.Name) && member is PropertyInfo { GetMethod.IsStatic: false })
        {
            return null;
        }
        if (type == typeof(Array) && member.Name == "Length")
        {
            return null;
        }
        return member.Name is "Now" or "UtcNow" or "Today"
            ? $"'{type.Name}.{member.Name}' reads the clock: rules see only the complaint (use ticket.ReceivedAt), so that a replay gives the same answer."
            : $"'{member.Name}' ({Describe(type)}) is not allowed in a rule.{Allowed(type)}";
    }

    /// <summary>Whether a rule may call <paramref name="method"/>, and if not, why.</summary>
    public static string? Refusal(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Allowed(method) ? null
            : method.Name == "ToString" ? "'ToString' is not allowed in a rule: compare a field with a value instead (ticket.Billing == \"ocs\")."
            : method.Name is "Intern" or "IsInterned" ? $"'{method.Name}' is not allowed in a rule: it reaches beyond the complaint."
            : $"'{method.Name}' ({Describe(method.DeclaringType!)}) is not allowed in a rule.{Allowed(method.DeclaringType!)}";
    }

    private static bool Allowed(MethodInfo method)
    {
        var type = method.DeclaringType!;
        if (method.Name.StartsWith("op_", StringComparison.Ordinal) && method.IsSpecialName)
        {
            return OperatorTypes.Contains(type) && (type != typeof(string) || StringOperators.Contains(method.Name));
        }
        if (!Methods.TryGetValue(type, out var names) || !names.Contains(method.Name))
        {
            // Nullable<T>.GetValueOrDefault and the value types' own Equals/CompareTo compare without allocating.
            return (Nullable.GetUnderlyingType(type) is not null && method.Name == "GetValueOrDefault")
                || (IsPlainValue(type) && method.Name is "Equals" or "CompareTo" && method.GetParameters().Length == 1);
        }
        if (type == typeof(Enumerable))
        {
            // Only over a list the complaint or the expression wrote down, never one the rule generates.
            return method.GetParameters()[0].ParameterType is var source && source.IsGenericType
                && source.GetGenericTypeDefinition() == typeof(IEnumerable<>);
        }
        // Every parameter a string, a char, a number or a StringComparison: no format strings, no culture objects.
        return method.GetParameters().All(p => p.ParameterType == typeof(string) || p.ParameterType == typeof(StringComparison) || p.ParameterType == typeof(char)
            || IsPlainValue(p.ParameterType) || p.ParameterType == typeof(string[]));
    }

    /// <summary>Whether a constant of <paramref name="type"/> may appear: numbers, booleans, text, enums, null.</summary>
    public static bool IsLiteral(Type type) =>
        IsPlainValue(type) || type == typeof(string) || type == typeof(object) || type == typeof(StringComparison)
        || (Nullable.GetUnderlyingType(type) is { } inner && IsPlainValue(inner));

    /// <summary>Whether an expression may convert a value to <paramref name="type"/>.</summary>
    public static bool IsConvertibleTo(Type type) =>
        IsLiteral(type) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan)
        || Nullable.GetUnderlyingType(type) == typeof(DateTimeOffset) || Nullable.GetUnderlyingType(type) == typeof(TimeSpan)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>));

    /// <summary>" On text a rule may use: ..." for a type that has allowed members, else the pointer to the list.</summary>
    private static string Allowed(Type type)
    {
        var names = type == typeof(Enumerable) || type.IsArray ? ListMembers : NamesOn(type.Name).ToList();
        return names.Any()
            ? $" On {Describe(type)} a rule may use: {string.Join(", ", names)}."
            : " See \"What a rule may use\" in rules/README.md.";
    }

    private static bool IsPlainValue(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal);

    private static string Describe(Type type) =>
        type == typeof(string) ? "text"
        : type == typeof(Enumerable) || type.IsArray ? "lists"
        : Nullable.GetUnderlyingType(type) is { } inner ? inner.Name
        : type.Name;

    /// <summary>The node kinds an expression may contain; anything else (assignment, loops, blocks, object
    /// creation, indexers, type tests) is refused.</summary>
    internal static readonly HashSet<ExpressionType> Nodes =
    [
        ExpressionType.Constant, ExpressionType.Parameter, ExpressionType.MemberAccess, ExpressionType.Call, ExpressionType.Lambda,
        ExpressionType.Quote, ExpressionType.Conditional, ExpressionType.Coalesce,
        ExpressionType.AndAlso, ExpressionType.OrElse, ExpressionType.And, ExpressionType.Or, ExpressionType.ExclusiveOr, ExpressionType.Not,
        ExpressionType.Equal, ExpressionType.NotEqual, ExpressionType.LessThan, ExpressionType.LessThanOrEqual,
        ExpressionType.GreaterThan, ExpressionType.GreaterThanOrEqual,
        ExpressionType.Add, ExpressionType.Subtract, ExpressionType.Multiply, ExpressionType.Divide, ExpressionType.Modulo,
        ExpressionType.Negate, ExpressionType.UnaryPlus, ExpressionType.Convert,
        ExpressionType.ArrayLength, ExpressionType.ArrayIndex, ExpressionType.NewArrayInit,
    ];
}
