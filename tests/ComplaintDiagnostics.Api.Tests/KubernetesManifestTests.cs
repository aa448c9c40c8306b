using System.Diagnostics;
using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// deploy/k8s rendered offline by <c>kubectl kustomize</c> (Debian's kubectl, which .ci/run installs) and checked
/// against the service itself: the probes' paths answer as the probes expect, the ports are the image's, the replicas
/// serve releases of the shared rules repository with settings the service accepts, the grace period covers the shutdown
/// drain, and the replay Job mounts every rule file where it reads them.
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
    public async Task TheReplicasProbesPortsAndRulesPathAgreeWithTheService()
    {
        var resources = Render("deploy/k8s");
        var pod = At(Kind(resources, "StatefulSet"), "spec", "template", "spec");
        var container = Named(Items(pod, "containers"), "service");
        var port = Named(Items(container, "ports"), "http");

        Assert.Equal("3", Text(Kind(resources, "StatefulSet"), "spec", "replicas"));
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
        var annotations = At(Kind(resources, "StatefulSet"), "spec", "template", "metadata", "annotations");
        Assert.Equal("/metrics", Text(annotations, "prometheus.io/path"));
        Assert.Equal("8080", Text(annotations, "prometheus.io/port"));
        // Hardened, and a grace period that covers the drain plus the requests in flight.
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("true", Text(pod, "securityContext", "runAsNonRoot"));
        Assert.True(int.Parse(Text(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture)
            >= int.Parse(Env(container, "Shutdown__DrainSeconds"), System.Globalization.CultureInfo.InvariantCulture) + 10);
        var services = resources.Where(r => Text(r, "kind") == "Service").ToDictionary(r => Text(r, "metadata", "name"));
        Assert.Equal(Text(port, "containerPort"), Text(Items(services["complaint-diagnostics"], "spec", "ports").Single(), "targetPort"));
        // The StatefulSet's governing Service exists and is headless.
        Assert.Equal("None", Text(services[Text(Kind(resources, "StatefulSet"), "spec", "serviceName")], "spec", "clusterIP"));
        Assert.Equal("2", Text(Kind(resources, "PodDisruptionBudget"), "spec", "minAvailable"));
        Assert.Equal("complaint-diagnostics", Text(Kind(resources, "HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"));
        Assert.Equal("StatefulSet", Text(Kind(resources, "HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "kind"));
    }

    [SkippableFact]
    public void EachReplicasSpoolIsOnAClaimOfItsOwnThatOutlivesThePod()
    {
        var set = Kind(Render("deploy/k8s"), "StatefulSet");
        var pod = At(set, "spec", "template", "spec");
        var container = Named(Items(pod, "containers"), "service");

        // The state volume is the replica's claim, not an emptyDir that a replaced pod (a rolling update, a drained node)
        // would lose with the decisions spooled while the database was away.
        Assert.DoesNotContain(Items(pod, "volumes"), v => Text(v, "name") == "state");
        var template = Assert.Single(Items(set, "spec", "volumeClaimTemplates"), c => Text(c, "metadata", "name") == "state");
        Assert.Equal("Retain", Text(set, "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"));

        // The spool (and the last good rules) are on it, and the spool's bound leaves room for the rest of the claim.
        var state = Text(Named(Items(container, "volumeMounts"), "state"), "mountPath");
        Assert.StartsWith(state + "/", Env(container, "Decisions__SpoolPath"), StringComparison.Ordinal);
        Assert.StartsWith(state + "/", Env(container, "Rules__LastGoodPath"), StringComparison.Ordinal);
        // Headroom: a filesystem keeps a few per cent, the refused decisions take up to 64 MB, the rules clone grows.
        var claimMegabytes = new Quantity(Text(template, "spec", "resources", "requests", "storage")).Megabytes;
        var spoolMegabytes = int.Parse(Env(container, "Decisions__SpoolMegabytes"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(spoolMegabytes + 64 <= claimMegabytes * 0.75, $"a spool of {spoolMegabytes} MB on a claim of {claimMegabytes} MB");
    }

    /// <summary>A Kubernetes storage quantity in binary units (Mi, Gi), as the manifest writes them.</summary>
    private readonly record struct Quantity(string Text)
    {
        public double Megabytes => Text.EndsWith("Gi", StringComparison.Ordinal) ? 1024 * Number : Text.EndsWith("Mi", StringComparison.Ordinal) ? Number
            : throw new FormatException($"unexpected storage quantity {Text}");

        private double Number => double.Parse(Text[..^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    [SkippableFact]
    public void TheReplicasServeReleasesOfTheSharedRulesRepositoryFromTheirOwnClones()
    {
        var resources = Render("deploy/k8s");
        var pod = At(Kind(resources, "StatefulSet"), "spec", "template", "spec");
        var container = Named(Items(pod, "containers"), "service");
        var env = Items(container, "env").Where(e => e.Children.ContainsKey(new YamlScalarNode("value")))
            .ToDictionary(e => Text(e, "name"), e => Text(e, "value"));

        // The service's own validation of the settings the manifest gives it, as it runs at start.
        var options = new Core.Rules.RulesOptions
        {
            Source = env["Rules__Source"], Remote = env["Rules__Remote"], Repository = env["Rules__Repository"],
            PollSeconds = double.Parse(env["Rules__PollSeconds"], System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.True(options.IsReleaseMode);
        Assert.StartsWith("https://", options.Remote, StringComparison.Ordinal);
        // No folder of rules is served: no ConfigMap, no rules volume.
        Assert.DoesNotContain(resources, r => Text(r, "kind") == "ConfigMap");
        Assert.DoesNotContain(Items(pod, "volumes"), v => Text(v, "name") == "rules");
        // The clone lives on the writable state volume, which outlives a container restart.
        var state = Text(Named(Items(container, "volumeMounts"), "state"), "mountPath");
        Assert.StartsWith(state + "/", options.Repository, StringComparison.Ordinal);
        // Git's credential helper reads the file the Secret mounts, read-only; HOME is writable under a read-only root.
        var secret = Named(Items(container, "volumeMounts"), "rules-git");
        Assert.Equal("true", Text(secret, "readOnly"));
        Assert.Equal("credential.helper", env["GIT_CONFIG_KEY_0"]);
        Assert.Contains($"--file={Text(secret, "mountPath")}/git-credentials", env["GIT_CONFIG_VALUE_0"], StringComparison.Ordinal);
        Assert.Equal("complaint-diagnostics-rules-git", Text(Named(Items(pod, "volumes"), "rules-git"), "secret", "secretName"));
        Assert.Equal(Text(Named(Items(container, "volumeMounts"), "tmp"), "mountPath"), env["HOME"]);
    }

    [SkippableFact]
    public void EveryRuleFileIsInTheReplayJobsConfigMapAndMountedAtItsPath()
    {
        var resources = Render("deploy/k8s/replay-job");
        var maps = resources.Where(r => Text(r, "kind") == "ConfigMap").ToDictionary(r => Text(r, "metadata", "name"));
        var sources = Items(Named(Items(At(Kind(resources, "Job"), "spec", "template", "spec"), "volumes"), "rules"), "projected", "sources")
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
        Assert.Equal(["complaint-diagnostics-rules"], maps.Keys);
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
