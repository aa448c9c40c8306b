using BenchmarkDotNet.Running;
using ComplaintDiagnostics.Benchmarks;

// dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --filter '*'        (BenchmarkDotNet)
// dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --paired [pairs]    (paired ratios)
// dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --store-write sqlite "Data Source=/tmp/d.db" 200000 (bench/decisions-store.sh)
if (await DecisionStoreBench.RunAsync(args))
{
    return;
}
if (args is ["--paired", ..])
{
    await PairedComparison.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(DiagnoseBenchmarks).Assembly).Run(args);
