using System.Diagnostics;

namespace ComplaintDiagnostics.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster (Debian's <c>postgresql</c> package, installed by .ci/run): <c>initdb</c> into a
/// temporary folder as the <c>postgres</c> user, <c>pg_ctl start</c> on a free loopback port, trust authentication,
/// removed when disposed. Each test asks for a database of its own (<see cref="NewDatabaseAsync"/>). The tests can
/// stop and start it (<see cref="StopAsync"/>, <see cref="StartAsync"/>) to play a store that goes away.
/// </summary>
public sealed class TempPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private TempPostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster's files: data, indexes and write-ahead log.</summary>
    public string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The cluster's own connection string (database postgres).</summary>
    public string Admin => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static async Task<TempPostgres> StartNewAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; .ci/run installs it).");
        }
        var folder = Directory.CreateTempSubdirectory("cd-pg-").FullName;
        await RunAsync("chown", $"-R postgres:postgres {folder}");
        await RunAsync("chmod", $"700 {folder}");
        var postgres = new TempPostgres(bin, folder, Loopback.FreePort());
        await postgres.AsPostgresAsync("initdb", $"-D {folder}/data -U postgres -A trust -E UTF8 --no-sync --locale=C.UTF-8");
        await postgres.StartAsync();
        return postgres;
    }

    /// <summary>A new empty database; its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new Npgsql.NpgsqlConnection(Admin))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=3;Command Timeout=10";
    }

    public Task StartAsync() =>
        AsPostgresAsync("pg_ctl", $"-D {_folder}/data -l {_folder}/log -w -t 60 -o \"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start");

    public Task StopAsync() => AsPostgresAsync("pg_ctl", $"-D {_folder}/data -w -t 60 -m fast stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", $"-D {_folder}/data -w -t 60 -m immediate stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_folder, recursive: true);
    }

    private Task AsPostgresAsync(string tool, string arguments) =>
        RunAsync("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}");

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
