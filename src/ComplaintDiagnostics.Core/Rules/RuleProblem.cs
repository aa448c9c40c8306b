namespace ComplaintDiagnostics.Core.Rules;

/// <summary>Something wrong with a rule file, located so that a NOC engineer can go straight to it.</summary>
/// <param name="File">The file's path relative to the rules folder, e.g. <c>workflows/data.json</c>.</param>
/// <param name="Line">1-based line, when known.</param>
/// <param name="Column">1-based column, when known.</param>
/// <param name="Rule">The rule (or workflow) the problem belongs to, when there is one.</param>
/// <param name="Message">What is wrong, in words a non-programmer understands.</param>
/// <param name="Severity">An error refuses the rule set; a warning (a rule that can never win) does not.</param>
public sealed record RuleProblem(string File, int? Line, int? Column, string? Rule, string Message, ProblemSeverity Severity = ProblemSeverity.Error)
{
    /// <summary><c>file:line:column rule: message</c>, the form editors and CI logs link to.</summary>
    public override string ToString()
    {
        var where = File + (Line is { } l ? $":{l}" + (Column is { } c ? $":{c}" : "") : "");
        var message = Severity == ProblemSeverity.Warning ? "warning: " + Message : Message;
        return Rule is null ? $"{where}: {message}" : $"{where} {Rule}: {message}";
    }
}

public enum ProblemSeverity { Error, Warning }
