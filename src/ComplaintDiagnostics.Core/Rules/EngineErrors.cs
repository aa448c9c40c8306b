namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Turns RulesEngine's and the parser's messages into words a rule author can act on.</summary>
public static partial class EngineErrors
{
    private const string ParseErrorPrefix = "Exception while parsing expression";

    /// <summary>What the trace says of a rule that failed on a request. Fixed text: an exception's message can
    /// quote the complaint's values, and a trace goes back to the caller.</summary>
    public const string FailedOnRequest = "the expression failed on this complaint and counts as not matched; the rule errors metric counts it.";

    /// <summary>A load-time engine message (on sample complaints, which hold no personal data), reworded.</summary>
    public static string Describe(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.StartsWith(ParseErrorPrefix, StringComparison.Ordinal))
        {
            var dash = message.IndexOf("` - ", StringComparison.Ordinal);
            var reason = dash >= 0 ? message[(dash + 4)..] : message;
            return $"the expression does not compile: {Simplify(reason)}";
        }
        var marker = message.IndexOf(" - ", StringComparison.Ordinal);
        var cause = marker >= 0 ? message[(marker + 3)..] : message;
        return $"the expression fails on a sample complaint: {Simplify(cause)}";
    }

    /// <summary>Drops .NET namespaces and generic noise from a message.</summary>
    public static string Simplify(string reason) => GenericMethod().Replace(WithoutStackTrace(reason), "'$1' cannot be used on this list (no such list test, or the wrong arguments).")
        .Replace("System.Nullable`1", "", StringComparison.Ordinal)
        .Replace("ComplaintDiagnostics.Contracts.", "", StringComparison.Ordinal)
        .Replace("ComplaintDiagnostics.Core.Tickets.", "", StringComparison.Ordinal)
        .Replace("ComplaintDiagnostics.Core.Diagnosis.", "", StringComparison.Ordinal)
        .Replace("System.", "", StringComparison.Ordinal)
        .Trim();

    /// <summary>A message as its first lines, without a stack trace some exceptions' messages carry.</summary>
    private static string WithoutStackTrace(string message) =>
        message.IndexOf("\n   at ", StringComparison.Ordinal) is var at and >= 0 ? message[..at].TrimEnd() : message;

    [System.Text.RegularExpressions.GeneratedRegex(@"No generic method '(\w+)' on type '[^']*Enumerable' is compatible[^.]*\.(?: No type arguments should be provided if the method is non-generic\.)?\s*")]
    private static partial System.Text.RegularExpressions.Regex GenericMethod();
}
