using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace ComplaintDiagnostics.Core.Rules.Expressions;

/// <summary>"Did you mean ...?" for a parser message about an unknown field or method.</summary>
internal static partial class Suggestions
{
    public static string For(string message, IReadOnlyList<ParameterExpression> parameters)
    {
        var match = UnknownName().Match(message);
        if (!match.Success)
        {
            return "";
        }
        var name = match.Groups["name"].Value;
        var typeName = match.Groups["type"].Value;
        var names = typeName.EndsWith("Enumerable", StringComparison.Ordinal)
            ? RuleLanguage.ListMembers
            : RuleLanguage.NamesOn(typeName).Concat(parameters.Select(p => p.Name!));
        var close = DidYouMean.Closest(name, names);
        return close == "Length" && name == "Length" ? " 'Length' is read without brackets, e.g. missing.Length > 0."
            : close == name ? " Check the number and kind of its arguments."
            : close is not null ? $" Did you mean '{close}'?"
            : char.IsLower(name[0]) && !typeName.EndsWith("Enumerable", StringComparison.Ordinal)
                ? $" Text and field values go in quotes, e.g. \"{name}\"."
                : "";
    }

    [GeneratedRegex(@"No (?:property or field|applicable method|generic method) '(?<name>[^']+)' (?:exists in|on) type '(?<type>[^']+)'")]
    private static partial Regex UnknownName();
}
