using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>Tests on the embedded store itself, each on SQLite files of its own in a temporary folder removed after it.</summary>
public abstract class SqliteFileTests : IDisposable
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cd-sqlite-store-").FullName;

    /// <summary>A migrated store on a new file of the folder.</summary>
    protected async Task<SqliteDecisionStore> StoreAsync(string name)
    {
        var store = new SqliteDecisionStore($"Data Source={Path.Combine(_folder, name + ".db")}");
        await store.MigrateAsync(default);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
