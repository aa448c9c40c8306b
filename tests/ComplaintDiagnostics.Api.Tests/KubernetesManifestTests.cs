using System.Diagnostics;
using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// deploy/k8s rendered offline by <c>kubectl kustomize</c> (Debian's kubectl, which .ci/run installs) and checked
/// against the service itself: the probes' paths answer as the probes expect, the ports and the rules path are
/// the image's, every rule file is in the ConfigMaps and mounted where the service looks, and the grace period
/// covers the shutdown drain.
/// </summary>
public sealed class KubernetesManifestTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string Kubectl = "/usr/bin/kubectl";

    private static List<YamlMappingNode> Render(string folder)
    {
        Skip.IfNot(File.Exists(Kubectl) || Environment.GetEnvironmentVariable("CI") == "true",
            $"{Kubectl} is not installed (apt-get install kubectl); .ci/run installs it.");
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, folder));
        using var kubectl = Process.Start(start)!;
        var yaml = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEnd();
        kubectl.WaitForExit();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {folder}: {errors}");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml.Result));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Kind(List<YamlMappingNode> resources, string kind) =>
        Assert.Single(resources, r => Text(r, "kind") == kind);

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static IEnumerable<YamlMappingNode> Items(YamlNode node, params string[] path) =>
        ((YamlSequenceNode)At(node, path)).Children.Cast<YamlMappingNode>();

    private static YamlMappingNode Named(IEnumerable<YamlMappingNode> items, string name) => Assert.Single(items, i => Text(i, "name") == name);

    private static string Env(YamlMappingNode container, string name) => Text(Named(Items(container, "env"), name), "value");

    [SkippableFact]
    public async Task TheDeploymentsProbesPortsAndRulesPathAgreeWithTheService()
    {
        var resources = Render("deploy/k8s");
        var pod = At(Kind(resources, "Deployment"), "spec", "template", "spec");
        var container = Named(Items(pod, "containers"), "service");
        var port = Named(Items(container, "ports"), "http");

        Assert.Equal("3", Text(Kind(resources, "Deployment"), "spec", "replicas"));
        Assert.Equal("8080", Text(port, "containerPort"));
        Assert.Equal("8080", Env(container, "ASPNETCORE_HTTP_PORTS"));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile")), StringComparison.Ordinal);
        var client = service.CreateClient();
        foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz") })
        {
            Assert.Equal(path, Text(container, probe, "httpGet", "path"));
            Assert.Equal(Text(port, "containerPort"), Text(container, probe, "httpGet", "port"));
            using var answer = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        // Prometheus finds /metrics where the annotations say.
        var annotations = At(Kind(resources, "Deployment"), "spec", "template", "metadata", "annotations");
        Assert.Equal("/metrics", Text(annotations, "prometheus.io/path"));
        Assert.Equal("8080", Text(annotations, "prometheus.io/port"));
        // The rules: mounted where Rules__Path points, read-only, from the ConfigMaps.
        var mount = Named(Items(container, "volumeMounts"), "rules");
        Assert.Equal(Env(container, "Rules__Path"), Text(mount, "mountPath"));
        Assert.Equal("true", Text(mount, "readOnly"));
        Assert.Contains(Items(Named(Items(pod, "volumes"), "rules"), "projected", "sources"), s => s.Children.ContainsKey(new YamlScalarNode("configMap")));
        // Hardened, and a grace period that covers the drain plus the requests in flight.
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("true", Text(pod, "securityContext", "runAsNonRoot"));
        Assert.True(int.Parse(Text(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture)
            >= int.Parse(Env(container, "Shutdown__DrainSeconds"), System.Globalization.CultureInfo.InvariantCulture) + 10);
        Assert.Equal(Text(port, "containerPort"), Text(Items(Kind(resources, "Service"), "spec", "ports").Single(), "targetPort"));
        Assert.Equal("2", Text(Kind(resources, "PodDisruptionBudget"), "spec", "minAvailable"));
        Assert.Equal("complaint-diagnostics", Text(Kind(resources, "HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"));
    }

    [SkippableFact]
    public void EveryRuleFileIsInTheConfigMapsAndMountedAtItsPath()
    {
        var resources = Render("deploy/k8s");
        var maps = resources.Where(r => Text(r, "kind") == "ConfigMap").ToDictionary(r => Text(r, "metadata", "name"));
        var sources = Items(Named(Items(At(Kind(resources, "Deployment"), "spec", "template", "spec"), "volumes"), "rules"), "projected", "sources")
            .Select(s => (YamlMappingNode)At(s, "configMap")).ToList();

        // The files as the mounted folder shows them, read from the ConfigMaps through the volume's items.
        var mounted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var data = (YamlMappingNode)At(maps[Text(source, "name")], "data");
            var items = source.Children.ContainsKey(new YamlScalarNode("items"))
                ? Items(source, "items").Select(i => (Key: Text(i, "key"), Path: Text(i, "path")))
                : data.Children.Keys.Select(k => (Key: ((YamlScalarNode)k).Value!, Path: ((YamlScalarNode)k).Value!));
            foreach (var (key, path) in items)
            {
                mounted[path] = Text(data, key);
            }
        }

        var shipped = Core.Rules.RuleSources.ReadFolder(RepoPaths.Rules).Files;
        var scenarios = Directory.EnumerateFiles(Path.Combine(RepoPaths.Rules, "tests"), "*.json").Select(f => "tests/" + Path.GetFileName(f));
        Assert.Equal(shipped.Keys.Concat(scenarios).Order(StringComparer.Ordinal), mounted.Keys.Order(StringComparer.Ordinal));
        Assert.All(shipped, file => Assert.Equal(file.Value, mounted[file.Key]));
        // One ConfigMap with every rule file, under a stable name, so that an apply updates the mounted files in
        // place (no hash suffix, no rollout).
        Assert.Equal(["complaint-diagnostics-rules"], maps.Keys);
    }

    [SkippableFact]
    public void TheGitSyncOverlayServesTheRepositorysRulesFolderThroughASidecar()
    {
        var resources = Render("deploy/k8s/git-sync");
        var pod = At(Kind(resources, "Deployment"), "spec", "template", "spec");
        var sync = Named(Items(pod, "initContainers"), "git-sync");
        var container = Named(Items(pod, "containers"), "service");

        Assert.Equal("Always", Text(sync, "restartPolicy"));
        Assert.DoesNotContain(resources, r => Text(r, "kind") == "ConfigMap");
        var root = Env(sync, "GITSYNC_ROOT");
        Assert.Equal(root, Text(Named(Items(sync, "volumeMounts"), "rules"), "mountPath"));
        // The service sees git-sync's root at its own mount; the link names the current commit's tree.
        var mount = Text(Named(Items(container, "volumeMounts"), "rules"), "mountPath");
        Assert.Equal($"{mount}/{Env(sync, "GITSYNC_LINK")}/rules", Env(container, "Rules__Path"));
        Assert.True(Named(Items(pod, "volumes"), "rules").Children.ContainsKey(new YamlScalarNode("emptyDir")));
    }

    [SkippableFact]
    public void TheReplayJobRunsOneShardPerIndexOverTheRules()
    {
        var resources = Render("deploy/k8s/replay-job");
        var job = Kind(resources, "Job");
        var container = Items(At(job, "spec", "template", "spec"), "containers").Single();
        var args = ((YamlSequenceNode)At(container, "args")).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();

        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        Assert.Equal(Text(job, "spec", "completions"), Env(container, "SHARDS"));
        Assert.Equal("$(SHARD)/$(SHARDS)", args[args.IndexOf("--shard") + 1]);
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']",
            Text(Named(Items(container, "env"), "SHARD"), "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal(Text(Named(Items(container, "volumeMounts"), "rules"), "mountPath"), args[args.IndexOf("--rules") + 1]);
        Assert.Equal(1, resources.Count(r => Text(r, "kind") == "ConfigMap"));
    }
}
