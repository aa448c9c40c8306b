using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Hosting;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Http;

/// <summary>
/// Reads request bodies of the v1 contract. Bodies are read here rather than bound by the framework so
/// that an oversized body stops at the limit, and a bad field is reported by its request path
/// (<c>billing</c>, <c>frontDeskChecks.restarted</c>) with what would have been accepted.
/// </summary>
internal static class ContractBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        if (request.ContentLength is { } length)
        {
            // The usual case: one exact buffer, filled in place.
            var exact = new byte[length];
            var filled = 0;
            int got;
            while (filled < length && (got = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += got;
            }
            return WithoutByteOrderMark(filled == length ? exact : exact[..filled]);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return WithoutByteOrderMark(buffer.ToArray());
    }

    /// <summary>A body as JSON reads it: a leading UTF-8 byte order mark (Windows front-desk tools write one) is no part of
    /// the JSON, which a parser would refuse at its first byte.</summary>
    private static byte[] WithoutByteOrderMark(byte[] body) => body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body;

    /// <summary>A body read as JSON: the document, or the problem to answer with.</summary>
    public sealed record DocumentRead(JsonDocument? Document, ProblemHttpResult? TooLarge, ValidationProblem? Invalid);

    /// <summary>Reads the body (at most <paramref name="maxBytes"/>) and parses it as JSON nested at most <paramref name="maxDepth"/> deep;
    /// a body that is not JSON is a 400 titled <paramref name="title"/>.</summary>
    public static async Task<DocumentRead> ReadDocumentAsync(
        HttpRequest request, int maxBytes, int maxDepth, string title, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return new DocumentRead(null, Problems.TooLarge(maxBytes), null);
        }
        try
        {
            return new DocumentRead(JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth }), null, null);
        }
        catch (JsonException ex)
        {
            return new DocumentRead(null, null, Problems.Invalid(Describe(ex), title));
        }
    }

    /// <summary>Parses and validates one request straight from its bytes (no document in between);
    /// nesting is bounded by the options' MaxDepth.</summary>
    public static (DiagnoseRequest? Request, Dictionary<string, string[]> Errors) Parse(byte[] body, JsonSerializerOptions options, int maxTextLength)
    {
        var first = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (first.IsEmpty || first[0] != (byte)'{')
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return Parse(document.RootElement, options, maxTextLength);
            }
            catch (JsonException ex)
            {
                return (null, Describe(ex));
            }
        }
        try
        {
            // A usual body is read by hand; anything else by the serializer, which also words what is wrong. Only a
            // body with a key the contract does not name goes that way, so only such a body is searched for a misspelt one.
            DiagnoseRequest request;
            if (DiagnoseRequestReader.TryRead(body, options, out var read))
            {
                request = read;
            }
            else
            {
                request = JsonSerializer.Deserialize<DiagnoseRequest>(body, options)!;
                if (ContractKeys.Request.Errors(body) is { } misspelt)
                {
                    return (null, misspelt);
                }
            }
            var errors = DiagnoseRequestValidation.Validate(request, maxTextLength);
            return (errors.Count == 0 ? request : null, errors);
        }
        catch (JsonException ex)
        {
            return (null, Describe(ex));
        }
    }

    /// <summary>Parses and validates one request; errors are keyed by request path.</summary>
    public static (DiagnoseRequest? Request, Dictionary<string, string[]> Errors) Parse(JsonElement element, JsonSerializerOptions options, int maxTextLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { ["$"] = [$"expected a JSON object with at least \"complaintType\", got {Describe(element.ValueKind)}."] });
        }
        try
        {
            var request = element.Deserialize<DiagnoseRequest>(options)!;
            if (ContractKeys.Request.Errors(element) is { } misspelt)
            {
                return (null, misspelt);
            }
            var errors = DiagnoseRequestValidation.Validate(request, maxTextLength);
            return (errors.Count == 0 ? request : null, errors);
        }
        catch (JsonException ex)
        {
            return (null, Describe(ex));
        }
    }

    /// <summary>Turns a serializer error into { path: [what is wrong and what is allowed] } (<see cref="ContractErrors.Describe"/>).</summary>
    /// <param name="expectedAt">What a body other than a complaint takes at a path, when it says it better than the
    /// serializer's type would ("the file's text as a JSON string, or null to remove the file").</param>
    public static Dictionary<string, string[]> Describe(JsonException exception, Func<string, string?>? expectedAt = null)
    {
        var (path, message) = ContractErrors.Describe(exception, expectedAt);
        return new() { [path] = [message] };
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
