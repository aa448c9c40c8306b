using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;
using CsvHelper;

namespace ComplaintDiagnostics.Samples;

/// <summary>
/// Synthetic ticket histories for the samples, the tests and the benchmarks: complaints with a realistic mix,
/// each labelled with the cause domain.md gives it (by <see cref="DomainReference"/>, written independently of
/// the rule files), and a share deliberately mislabelled, as in a real history where the NOC's confirmed
/// cause differs from what the procedure suggests.
/// </summary>
public static class SyntheticHistory
{
    private static readonly string[] DataCauses =
        ["ACCOUNT_ARREARS", "DATA_FEATURE_DISABLED", "SIM_NOT_ACTIVATED", "RESTART_NOT_TRIED", "DEVICE_SETTINGS", "TERMINAL_FAULT",
         "NETWORK_ALARM", "NETWORK_KPI_DEGRADED", "USAGE_UNDERSTANDING", "NOT_REPRODUCED", "NETWORK_INVESTIGATION"];

    private static readonly string[] VoiceCauses =
        ["NETWORK_ALARM", "NETWORK_KPI_DEGRADED", "NOT_REPRODUCED", "KNOWN_COVERAGE_ISSUE", "FIELD_TEST_REQUIRED"];

    /// <summary>A generated ticket: the request, the cause domain.md gives, and the cause written as confirmed.</summary>
    public sealed record Ticket(DiagnoseRequest Request, string ReferenceCause, string ConfirmedCause, Route ConfirmedRoute);

    public static IEnumerable<Ticket> Generate(int count, int seed, double wrongRate)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var i = 1; i <= count; i++)
        {
            var request = Complaint(random, $"H-{i:D7}", start.AddMinutes(random.Next(0, 330 * 24 * 60)));
            var (cause, route) = DomainReference.Diagnose(request);
            var confirmed = cause;
            if (cause != "WORK_ORDER_INCOMPLETE" && random.NextDouble() < wrongRate)
            {
                var pool = request.ComplaintType == ComplaintType.Data ? DataCauses : VoiceCauses;
                confirmed = pool.Where(c => c != cause).ElementAt(random.Next(pool.Length - 1));
            }
            yield return new Ticket(request, cause, confirmed, route);
        }
    }

    public static async Task WriteAsync(TextWriter output, IEnumerable<Ticket> tickets, bool csv)
    {
        if (!csv)
        {
            foreach (var t in tickets)
            {
                var line = JsonSerializer.SerializeToNode(t.Request, ContractJson.Options)!.AsObject();
                line["confirmedCause"] = t.ConfirmedCause;
                line["confirmedRoute"] = ContractJson.WireName(t.ConfirmedRoute);
                await output.WriteLineAsync(line.ToJsonString(ContractJson.Options));
            }
            return;
        }
        var columns = RequestFields.Paths.ToList();
        await using var writer = new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var column in columns.Append("confirmedCause").Append("confirmedRoute"))
        {
            writer.WriteField(column);
        }
        await writer.NextRecordAsync();
        foreach (var t in tickets)
        {
            var json = JsonSerializer.SerializeToNode(t.Request, ContractJson.Options)!.AsObject();
            foreach (var column in columns)
            {
                var node = column.Split('.').Aggregate((JsonNode?)json, (n, segment) => n?[segment]);
                writer.WriteField(node switch
                {
                    null => "",
                    JsonValue v when v.TryGetValue<string>(out var s) => s,
                    JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                    _ => node.ToJsonString(),
                });
            }
            writer.WriteField(t.ConfirmedCause);
            writer.WriteField(ContractJson.WireName(t.ConfirmedRoute));
            await writer.NextRecordAsync();
        }
    }

    private static DiagnoseRequest Complaint(Random r, string id, DateTimeOffset receivedAt)
    {
        var roll = r.NextDouble();
        var type = roll < 0.5 ? ComplaintType.Data : roll < 0.7 ? ComplaintType.Voice : roll < 0.9 ? ComplaintType.Coverage : ComplaintType.GroupFault;
        bool? Maybe(double pTrue, double pKnown = 1) => r.NextDouble() < pKnown ? r.NextDouble() < pTrue : null;
        T? Pick<T>(double pKnown = 1) where T : struct, Enum => r.NextDouble() < pKnown ? Enum.GetValues<T>()[r.Next(Enum.GetValues<T>().Length)] : null;
        var tierRoll = r.NextDouble();
        var tier = type == ComplaintType.GroupFault
            ? (tierRoll < 0.05 ? (CustomerTier?)null : tierRoll < 0.1 ? CustomerTier.Public : Pick<CustomerTier>())
            : tierRoll < 0.85 ? CustomerTier.Public : tierRoll < 0.9 ? null : Pick<CustomerTier>();
        return new DiagnoseRequest
        {
            TicketId = id,
            ReceivedAt = receivedAt,
            ComplaintType = type,
            Symptom = type switch
            {
                ComplaintType.Data => new[] { Symptom.NoConnection, Symptom.Slow, Symptom.Dropping }[r.Next(3)],
                ComplaintType.Voice => new[] { Symptom.Noise, Symptom.CallDrop, Symptom.OneWayAudio, Symptom.ChoppyVoice }[r.Next(4)],
                ComplaintType.Coverage => Symptom.WeakSignal,
                _ => Symptom.ServiceDown,
            },
            NetworkType = Pick<NetworkType>(type == ComplaintType.Data ? 0.6 : 0.96),
            Service = Pick<ServiceKind>(type == ComplaintType.Data ? 0.6 : 0.96),
            Billing = Pick<Billing>(0.97),
            InArrears = Maybe(0.05, 0.97),
            DataFeatureEnabled = Maybe(0.97, 0.97),
            SimActivated = Maybe(0.97, 0.5),
            SpeedThrottled = Maybe(0.1, 0.6),
            Roaming = Pick<Roaming>(0.97),
            Scope = Pick<Scope>(0.97),
            TimePattern = Pick<TimePattern>(type == ComplaintType.Data ? 0.5 : 0.96),
            FrontDeskChecks = new FrontDeskChecks { Restarted = Maybe(0.9, 0.8), SettingsOk = Maybe(0.92, 0.7), TerminalOk = Maybe(0.95, 0.7) },
            Terminal = new Contracts.Terminal { Generation = Pick<TerminalGeneration>(0.7), Brand = r.NextDouble() < 0.6 ? new[] { "Huawei", "Xiaomi", "Apple", "OPPO", "vivo" }[r.Next(5)] : null },
            Location = new Location
            {
                Description = r.NextDouble() < 0.95 ? $"Site {r.Next(1, 400)}" : null,
                Area = Pick<Area>(0.9),
                Indoor = Maybe(0.5, 0.8),
                SignalBars = r.NextDouble() < 0.7 ? r.Next(0, 6) : null,
            },
            Network = new NetworkFindings
            {
                ActiveAlarms = Maybe(0.08, 0.8),
                KpiAbnormal = Maybe(0.08, 0.7),
                SimilarUnresolvedComplaints = Maybe(0.1, 0.6),
                Reproduced = Maybe(0.6, 0.6),
            },
            Customer = new Customer { Tier = tier, SpecialCircumstances = tier is null or CustomerTier.Public ? null : Maybe(0.1) },
            Source = Pick<ComplaintSource>(),
        };
    }
}
