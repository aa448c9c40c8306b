namespace ComplaintDiagnostics.Api.Http;

/// <summary>The service's HTML pages (/rules, /decisions/{id}), built into the assembly: nothing to serve from disk.</summary>
internal static class EmbeddedPage
{
    public static string Read(string logicalName)
    {
        using var stream = typeof(EmbeddedPage).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The page {logicalName} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
