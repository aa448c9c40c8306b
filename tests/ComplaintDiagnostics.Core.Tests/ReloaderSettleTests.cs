using System.Diagnostics.Metrics;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// The reloader compiles the folder's first read while it waits for the folder to settle. These pin what that
/// must never change: a folder edited during the wait is served as it settled, never as it was first read.
/// The edit lands in the wait deterministically: <see cref="RuleSetReloader.ReloadAsync"/> returns once the
/// first read is taken and the debounce has begun.
/// </summary>
public sealed class ReloaderSettleTests : IDisposable
{
    private const string Reply = "建议用户再关注。";

    private readonly TempRulesFolder _rules = new();
    private readonly RuleSetHolder _holder;
    private readonly DiagnosisMetrics _metrics = new(new Meters());
    private readonly RuleSetReloader _reloader;

    public ReloaderSettleTests()
    {
        // Long enough that the test's edit, made as soon as ReloadAsync returns, falls inside it on any machine.
        var options = Options.Create(new RulesOptions { Path = _rules.Path, DebounceMilliseconds = 1000, PollSeconds = 0 });
        _holder = new RuleSetHolder(options);
        _reloader = new RuleSetReloader(_holder, options, TimeProvider.System, NullLogger<RuleSetReloader>.Instance, _metrics);
    }

    [Fact]
    public async Task AnEditDuringTheSettleIsServedAsSettledAndTheFirstReadIsNeverServed()
    {
        var firstRead = RuleSources.ReadFolder(_rules.Path).Version;

        var reloading = _reloader.ReloadAsync();
        _rules.Edit("replies.json", Reply, "建议用户再关注（已改）。");
        await reloading;

        var settled = RuleSources.ReadFolder(_rules.Path).Version;
        Assert.NotEqual(firstRead, settled);
        Assert.Equal(settled, _holder.Current?.Version);
        Assert.Equal([settled], _holder.History.Select(h => h.Version));
    }

    [Fact]
    public async Task AQuietFolderIsServedAsItWasFirstRead()
    {
        var firstRead = RuleSources.ReadFolder(_rules.Path).Version;

        await _reloader.ReloadAsync();

        Assert.Equal(firstRead, _holder.Current?.Version);
        Assert.Equal(0, _holder.RefusedCount);
    }

    public void Dispose()
    {
        _reloader.Dispose();
        _metrics.Dispose();
        _rules.Dispose();
    }

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name + ".Tests", options.Version);

        public void Dispose()
        {
        }
    }
}
