using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Tickets;

/// <summary>What reading a complaint (or a follow-up) gave: the request, or the errors by request path.</summary>
public readonly record struct ComplaintRead<T>(T? Request, Dictionary<string, string[]> Errors)
    where T : class;

/// <summary>
/// The one reader of a complaint as the contract states it, beside the contract's keys (<see cref="ContractKeys"/>),
/// errors (<see cref="ContractErrors"/>) and fields (<see cref="RequestFields"/>): a single body, a batch item and a
/// follow-up's complaint are read here, so each says the same thing about the same complaint. A usual body is read by
/// hand from its bytes (<see cref="DiagnoseRequestReader"/>); any other by the serializer, which words what is wrong;
/// a key a typo away from a contract name is refused with the name meant; then the contract's validation.
/// </summary>
public static class ComplaintReader
{
    /// <summary>One complaint straight from its bytes (no document in between); nesting is bounded by the options' MaxDepth.</summary>
    /// <param name="labels">Top-level keys read beside the complaint (replay's <c>confirmedCause</c>): held to the same
    /// misspelling rule as the contract's names; a label given twice is refused as a property is.</param>
    public static ComplaintRead<DiagnoseRequest> Read(ReadOnlyMemory<byte> body, JsonSerializerOptions options, int maxTextLength, JsonLabels? labels = null)
    {
        var first = body.Span.TrimStart(" \t\r\n"u8);
        if (first.IsEmpty || first[0] != (byte)'{')
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return Read(document.RootElement, options, maxTextLength);
            }
            catch (JsonException ex)
            {
                return new(null, Describe(ex));
            }
        }
        try
        {
            // Only a body with a key the contract does not name leaves the hand-written reader, so only such a body is
            // searched for a misspelt one.
            DiagnoseRequest request;
            if (DiagnoseRequestReader.TryRead(body.Span, options, out var read, labels))
            {
                request = read;
            }
            else
            {
                request = JsonSerializer.Deserialize<DiagnoseRequest>(body.Span, options)!;
                if (ContractKeys.Request.With(labels?.Names).Errors(body) is { } misspelt)
                {
                    return new(null, misspelt);
                }
                if (labels?.Scan(body.Span, options) is { } twice)
                {
                    return new(null, new() { [twice] = [ContractJson.GivenTwice] });
                }
            }
            return Validated(request, DiagnoseRequestValidation.Validate(request, maxTextLength));
        }
        catch (JsonException ex)
        {
            return new(null, Describe(ex));
        }
    }

    /// <summary>One complaint of a batch, already parsed with the batch.</summary>
    public static ComplaintRead<DiagnoseRequest> Read(JsonElement element, JsonSerializerOptions options, int maxTextLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new(null, new() { ["$"] = [$"expected a JSON object with at least \"complaintType\", got {Describe(element.ValueKind)}."] });
        }
        try
        {
            var request = element.Deserialize<DiagnoseRequest>(options)!;
            if (ContractKeys.Request.Errors(element) is { } misspelt)
            {
                return new(null, misspelt);
            }
            return Validated(request, DiagnoseRequestValidation.Validate(request, maxTextLength));
        }
        catch (JsonException ex)
        {
            return new(null, Describe(ex));
        }
    }

    /// <summary>A follow-up: its complaint read and checked as a complaint is (under <c>complaint.</c>), its times checked
    /// against each other and against <paramref name="clock"/>, which <c>now</c> defaults to.</summary>
    public static ComplaintRead<FollowUpRequest> ReadFollowUp(byte[] body, JsonSerializerOptions options, int maxTextLength, DateTimeOffset clock)
    {
        FollowUpRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<FollowUpRequest>(body, options);
        }
        catch (JsonException ex)
        {
            return new(null, Describe(ex));
        }
        if (request is null)
        {
            return new(null, new() { ["$"] = ["expected a JSON object with \"complaint\"."] });
        }
        if (ContractKeys.FollowUp.Errors(body) is { } misspelt)
        {
            return new(null, misspelt);
        }
        return Validated(request, FollowUpRequestValidation.Validate(request, maxTextLength, clock));
    }

    /// <summary>A serializer error as { path: [what is wrong and what is allowed] } (<see cref="ContractErrors.Describe"/>).</summary>
    /// <param name="expectedAt">What a body other than a complaint takes at a path, when it says it better than the
    /// serializer's type would ("the file's text as a JSON string, or null to remove the file").</param>
    public static Dictionary<string, string[]> Describe(JsonException exception, Func<string, string?>? expectedAt = null)
    {
        var (path, message) = ContractErrors.Describe(exception, expectedAt);
        return new() { [path] = [message] };
    }

    private static ComplaintRead<T> Validated<T>(T request, Dictionary<string, string[]> errors)
        where T : class => new(errors.Count == 0 ? request : null, errors);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
