using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Benchmarks;

/// <summary>A front desk's usual body read by the service's own reader and by the serializer it falls back to:
/// dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --filter '*RequestReading*'</summary>
[MemoryDiagnoser]
public class RequestReadingBenchmarks
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""
        {"ticketId":"10010-20261128-0007","receivedAt":"2026-11-28T09:30:00+08:00","complaintType":"data","symptom":"slow",
         "networkType":"NR","service":"video","billing":"ocs","inArrears":false,"dataFeatureEnabled":true,"roaming":"local",
         "scope":"specificPlace","timePattern":"periodic","frontDeskChecks":{"restarted":true,"settingsOk":true},
         "location":{"description":"3号楼","area":"urban","indoor":true,"latitude":31.2304,"longitude":121.4737},
         "network":{"activeAlarms":false,"kpiAbnormal":true},"customer":{"tier":"public","msisdn":"13812345678"}}
        """);

    [GlobalSetup]
    public void Setup()
    {
        if (!DiagnoseRequestReader.TryRead(Body, ContractJson.Options, out _))
        {
            throw new InvalidOperationException("The benchmark's body is not one the reader takes.");
        }
    }

    [Benchmark(Baseline = true)]
    public DiagnoseRequest? Serializer() => JsonSerializer.Deserialize<DiagnoseRequest>(Body, ContractJson.Options);

    [Benchmark]
    public DiagnoseRequest? OwnReader() => DiagnoseRequestReader.TryRead(Body, ContractJson.Options, out var request) ? request : null;
}
