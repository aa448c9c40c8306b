using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>The service in release mode on a real Git repository of the shipped rules (committed once, release 1 at the
/// first start), with the named people of <see cref="ReleaseLifecycleTests.Settings"/>.</summary>
internal sealed class ReleaseModeService : IDisposable
{
    public ReleaseModeService()
    {
        Repo.Commit("The shipped rules", "Li Wei <li.wei@noc.example>");
        Service = ServiceFactory.Serving(Repo.Rules, ReleaseLifecycleTests.Settings(Repo.Root));
    }

    public TempGitRepo Repo { get; } = new(RepoPaths.Rules);

    public ServiceFactory Service { get; }

    public void Dispose()
    {
        Service.Dispose();
        Repo.Dispose();
    }
}
