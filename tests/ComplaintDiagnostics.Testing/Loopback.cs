namespace ComplaintDiagnostics.Testing;

/// <summary>Ports for services a test starts on a real socket (a browser, a load test, the CLI's remote replay).</summary>
internal static class Loopback
{
    /// <summary>A port free on 127.0.0.1 right now, for a service the test starts on a real socket.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
