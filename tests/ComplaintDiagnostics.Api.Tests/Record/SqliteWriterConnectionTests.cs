using Microsoft.Data.Sqlite;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// The writer's settings stay the writer's: its connections (a 64 MB page cache, so a batch never spills to the log)
/// come from a pool of their own, and no connection another operation takes from the store's pool carries them.
/// </summary>
public sealed class SqliteWriterConnectionTests : SqliteFileTests
{
    [Fact]
    public async Task AConnectionOfTheStoresPoolAfterAWriteHasSqlitesOwnCache()
    {
        using var store = await StoreAsync("writer");
        await store.WriteAsync(AreaIndexTests.Decisions(new Random(3), 200, Now - TimeSpan.FromDays(1), Now), default);
        // The pool hands back its most recent connection first: the one the write used, were it shared.
        await using var connection = new SqliteConnection($"Data Source={store.FilePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        Assert.Equal(-2000L, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "SELECT count(*) FROM decisions";
        Assert.Equal(200L, (long)(await command.ExecuteScalarAsync())!);
    }
}
