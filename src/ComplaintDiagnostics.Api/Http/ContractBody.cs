using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Hosting;
using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintDiagnostics.Api.Http;

/// <summary>
/// Reads request bodies off the wire. Bodies are read here rather than bound by the framework so that an oversized
/// body stops at the limit; what is in them is read by <see cref="ComplaintReader"/>, which reports a bad field by its
/// request path (<c>billing</c>, <c>frontDeskChecks.restarted</c>) with what would have been accepted.
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
    private static byte[] WithoutByteOrderMark(byte[] body)
    {
        var skip = 0;
        while (body.AsSpan(skip).StartsWith("\uFEFF"u8))
        {
            skip += 3; // a tool that added its own mark to a text that had one: neither is JSON
        }
        return skip == 0 ? body : body[skip..];
    }

    /// <summary>A body read as JSON: the document, or the problem to answer with.</summary>
    public sealed record DocumentRead(JsonDocument? Document, ProblemHttpResult? TooLarge, ValidationProblem? Invalid);

    /// <summary>Reads the body (at most <paramref name="maxBytes"/>) and parses it as JSON nested at most <paramref name="maxDepth"/> deep;
    /// a body that is not JSON is a 400 titled <paramref name="title"/>. <paramref name="exact"/>: read as
    /// <see cref="ExactJson"/> reads, every part of it (a property given twice or text that is not UTF-8 is a 400 naming it).</summary>
    public static async Task<DocumentRead> ReadDocumentAsync(
        HttpRequest request, int maxBytes, int maxDepth, string title, CancellationToken cancellationToken, bool exact = false)
    {
        var body = await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return new DocumentRead(null, Problems.TooLarge(maxBytes), null);
        }
        try
        {
            if (!exact)
            {
                return new DocumentRead(JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth }), null, null);
            }
            var (document, errors) = ExactJson.Parse(body, maxDepth);
            return new DocumentRead(document, null, errors is null ? null : Problems.Invalid(errors, title));
        }
        catch (JsonException ex)
        {
            return new DocumentRead(null, null, Problems.Invalid(ComplaintReader.Describe(ex), title));
        }
    }
}
