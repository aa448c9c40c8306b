using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The area look-up in SQL on SQLite, as it is answered until the window is in memory (<see cref="AreaIndex"/>):
/// read-only connections kept open with their queries prepared once (a fresh connection parsed the query again and
/// re-read its pages through the kernel after each of the recorder's writes), the file memory-mapped. One
/// connection per look-up in flight at most; the queries are <see cref="SqlDecisionStore.AreaQueries"/>.
/// </summary>
internal sealed class SqliteLookupReaders(string connectionString) : IDisposable
{
    private readonly ConcurrentBag<Reader> _idle = [];

    // Their own connections, outside the provider's pool: a reader's settings (query_only, the memory map) must never
    // reach a connection the recorder writes on, also when a reader is let go after an error.
    private readonly string _readerConnectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    public IReadOnlyList<AreaNeighbour> Near(SqlDecisionStore store, AreaQuery query)
    {
        var reader = _idle.TryTake(out var kept) ? kept : Open();
        try
        {
            var found = new List<AreaNeighbour>();
            foreach (var (sql, parameters) in store.AreaQueries(query, "$"))
            {
                var command = reader.Prepared(sql, parameters);
                using var rows = command.ExecuteReader();
                while (rows.Read())
                {
                    found.Add(store.ReadNeighbour(rows));
                }
            }
            _idle.Add(reader);
            return found;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private Reader Open()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA query_only = 1";
            pragma.ExecuteNonQuery();
        }
        return new Reader(connection);
    }

    private sealed class Reader(SqliteConnection connection) : IDisposable
    {
        // By the query's text, which depends only on how many cells, types and causes it lists: a handful per rule set.
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteCommand Prepared(string sql, List<(string Name, object Value)> parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                if (_commands.Count > 64)
                {
                    Clear();
                }
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter("$" + name, value));
                }
                command.Prepare();
                _commands[sql] = command;
                return command;
            }
            foreach (var (name, value) in parameters)
            {
                command.Parameters["$" + name].Value = value;
            }
            return command;
        }

        public void Dispose()
        {
            Clear();
            connection.Dispose();
        }

        private void Clear()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
            _commands.Clear();
        }
    }
}
