using System.Globalization;
using System.Text;
using ComplaintDiagnostics.Decisions;
using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// <c>replay --from-store</c>: the recorded complaints whose ticket has a confirmed cause, written as the JSON Lines
/// history a file replay reads (the request as recorded plus <c>confirmedCause</c>), so the same replay, compare and
/// gate run on them, on every core. The latest diagnosis of each ticket stands for it (the work order at its most
/// complete). The file is temporary and holds no personal data (the record never does).
/// </summary>
internal static class StoreHistory
{
    /// <summary>The provider a connection string is for: PostgreSQL when it names a host, SQLite otherwise (a file
    /// path alone is read as one).</summary>
    public static (string Provider, string ConnectionString) Read(string connection) =>
        connection.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? ("postgresql", connection)
        : connection.Contains('=', StringComparison.Ordinal) ? ("sqlite", connection)
        : ("sqlite", $"Data Source={connection};Mode=ReadOnly");

    /// <summary>A --since value: a number of days (<c>30d</c>) or a date or time (<c>2026-11-01</c>).</summary>
    public static DateTimeOffset? Since(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DateTimeOffset.MinValue;
        }
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36_500)
        {
            return now - TimeSpan.FromDays(days);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>The request with the value the area look-up gave the rules, so the replay answers it as the service did.</summary>
    private static string WithSimilar(string request, bool similar)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(request)!.AsObject();
        var network = node["network"] as System.Text.Json.Nodes.JsonObject ?? [];
        network["similarUnresolvedComplaints"] = similar;
        node["network"] = network;
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes the history to <paramref name="path"/>; the number of tickets written.</summary>
    public static async Task<long> WriteAsync(string connection, DateTimeOffset since, string path, CancellationToken cancellationToken)
    {
        var (provider, connectionString) = Read(connection);
        var store = ServiceCollectionExtensions.Create(provider, connectionString);
        try
        {
            long written = 0;
            await using var output = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
            var cause = new StringBuilder();
            await foreach (var row in store.ReplayAsync(since, cancellationToken))
            {
                if (row.ConfirmedCause is not { } confirmed || row.Request.Length < 2 || row.Request[0] != '{')
                {
                    continue;
                }
                cause.Clear().Append("{\"confirmedCause\":").Append(System.Text.Json.JsonSerializer.Serialize(confirmed));
                await output.WriteAsync(cause, cancellationToken);
                var request = row.LookedUpSimilar is { } similar ? WithSimilar(row.Request, similar) : row.Request;
                await output.WriteAsync(request.Length > 2 ? "," + request[1..] : "}");
                await output.WriteAsync('\n');
                written++;
            }
            return written;
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
