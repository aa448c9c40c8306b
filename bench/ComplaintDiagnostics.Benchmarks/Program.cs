using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ComplaintDiagnostics.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ComplaintDiagnostics.Benchmarks.DiagnoseBenchmarks).Assembly).Run(args);
