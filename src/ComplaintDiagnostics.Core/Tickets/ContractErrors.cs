using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Tickets;

/// <summary>What the serializer found wrong with a complaint (or a body that holds one: a follow-up, a proposed edit,
/// a replayed ticket, a scenario), said by request path in the words the service's 400s use.</summary>
public static class ContractErrors
{
    /// <summary>A serializer error as (request path, what is wrong and what is allowed there), in the contract's words:
    /// never a .NET type name.</summary>
    /// <param name="expectedAt">What a body other than a complaint takes at a path, when it says it better than the
    /// serializer's type would ("the file's text as a JSON string, or null to remove the file").</param>
    public static (string Path, string Message) Describe(JsonException exception, Func<string, string?>? expectedAt = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // A syntax error (a truncated body, a stray comma) is the body's, not the field the reader had reached:
        // reported under "$", never as if "complaintType" held a bad value.
        var syntax = exception.InnerException?.GetType().Name == "JsonReaderException";
        var path = syntax ? "$" : ToRequestPath(exception.Path);
        var message = exception.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }
        }
        if (exception.InnerException?.Message.Contains("invalid UTF-8", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A string whose bytes are not UTF-8, most often a body encoded as GBK by a front desk's system: the value
            // is text all the same, so "expected a string" would send the integrator looking in the wrong place.
            message = "the text is not UTF-8 (was the body encoded as GBK?); send the request as UTF-8 JSON.";
        }
        else if (message.StartsWith(NotConverted, StringComparison.Ordinal))
        {
            // Never the serializer's .NET type names: what the field takes, in the contract's words.
            message = (expectedAt?.Invoke(path) ?? ExpectedAt(path) ?? ExpectedOfType(message[NotConverted.Length..].TrimEnd('.'))) is { } expected
                ? $"expected {expected}."
                : "a value of the wrong JSON type for this field; see the contract (docs/api.md).";
        }
        else if (ContractJson.DuplicateProperty(exception) is { } twice)
        {
            path = twice;
            message = ContractJson.GivenTwice;
        }
        else if (path == "$" && exception.LineNumber is { } line)
        {
            message = $"{(syntax ? "the body is not complete, valid JSON: " : "")}{message.TrimEnd('.')} (line {line + 1}, byte {exception.BytePositionInLine + 1}).";
        }
        return (path, message);
    }

    private const string NotConverted = "The JSON value could not be converted to ";

    /// <summary>What a .NET type the serializer names takes on the wire, for paths the request's field table does not
    /// list (the follow-up's <c>complaint.*</c> and <c>progress.*</c>).</summary>
    private static string? ExpectedOfType(string type)
    {
        const string Nullable = "System.Nullable`1[";
        if (type.StartsWith(Nullable, StringComparison.Ordinal))
        {
            type = type[Nullable.Length..].TrimEnd(']');
        }
        return type switch
        {
            "System.Boolean" => "true or false",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Decimal" => "a number",
            "System.String" => "a string",
            "System.DateTimeOffset" => "an ISO-8601 timestamp with an offset",
            _ when type.StartsWith("ComplaintDiagnostics.Contracts.", StringComparison.Ordinal) => "an object",
            _ => null,
        };
    }

    private static string ToRequestPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "$";
        }
        var path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        // A dictionary key ($.files['workflows/data.json']) reads as a step of the path: files.workflows/data.json.
        return path.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    /// <summary>What the contract accepts at a request path, from the request's own field table.</summary>
    private static string? ExpectedAt(string path)
    {
        var type = RequestFields.TypeOf(path);
        return type switch
        {
            null => RequestFields.Paths.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal)) ? "an object" : null,
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(DateTimeOffset) => "an ISO-8601 timestamp with an offset",
            _ => null,
        };
    }
}
