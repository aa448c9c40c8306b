namespace ComplaintDiagnostics.Testing;

/// <summary>The runtime settings a program ships with: its <c>runtimeconfig.json</c>, copied beside the tests.</summary>
internal static class RuntimeConfig
{
    /// <summary>A whole-number runtime knob of <paramref name="program"/> (the runtimeconfig's file name without
    /// <c>.runtimeconfig.json</c>), or null when it does not set it.</summary>
    public static int? Knob(string program, string name)
    {
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, program + ".runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").TryGetProperty(name, out var value)
            ? value.GetInt32()
            : null;
    }
}
