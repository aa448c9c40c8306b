using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>Wherever a rule file names something that does not exist (a field, a request path, a column, a value,
/// a cause, a reply, a route, an action), the refusal suggests the name meant, at the line of the typo.</summary>
public sealed class DidYouMeanTests
{
    public static TheoryData<string, string, string, string> Typos() => new()
    {
        // file, text, typo'd text, the suggestion
        { "workflows/main.json", "ticket.InArrears == true\"", "ticket.InArears == true\"", "Did you mean 'InArrears'?" },
        { "workflows/main.json", "ticket.Unknown(\\\"billing\\\")", "ticket.Unknown(\\\"biling\\\")", "Did you mean 'billing'?" },
        { "workflows/main.json", "\"Expression\": \"ticket.InArrears == true\"", "\"When\": { \"inArears\": true }", "Did you mean 'inArrears'?" },
        { "workflows/main.json", "\"Expression\": \"ticket.InArrears == true\"", "\"When\": { \"scope\": \"specificServise\" }", "Did you mean 'specificService'?" },
        { "workflows/main.json", "\"cause\": \"FIRST\"", "\"cause\": \"FRIST\"", "Did you mean 'FIRST'?" },
        { "workflows/main.json", "\"reply\": \"second\"", "\"reply\": \"secnd\"", "Did you mean 'second'?" },
        { "workflows/main.json", "\"route\": \"noc\", \"reply\": \"fallback\"", "\"route\": \"nco\", \"reply\": \"fallback\"", "Did you mean 'noc'?" },
        { "workflows/urgent.json", "\"code\": \"callCustomer\"", "\"code\": \"callCustomr\"", "Did you mean 'callCustomer'?" },
        { "ruleset.json", "\"coverage\": \"Main\"", "\"coverge\": \"Main\"", "Did you mean 'coverage'?" },
        { "causes.json", "\"FIRST\":    { \"group\": \"g\"", "\"FIRST\":    { \"group\": \"G\"", "Did you mean 'g'?" },
        // Two signs swapped: as near ">" (one dropped) as ">=", and the one of its length is meant.
        { "workflows/main.json", "\"Expression\": \"ticket.InArrears == true\"", "\"When\": { \"location.signalBars\": { \"=>\": 1 } }", "Did you mean '>='?" },
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public async Task EveryUnknownNameGetsASuggestionAtItsLine(string file, string text, string typo, string suggestion)
    {
        var files = new Dictionary<string, string>(RuleSources.ReadFolder(Testing.RepoPaths.EngineFixture).Files);
        Assert.Contains(text, files[file], StringComparison.Ordinal);
        files[file] = files[file].Replace(text, typo, StringComparison.Ordinal);

        var build = await RuleSetCompiler.CompileAsync(new RuleSources(files), DateTimeOffset.UnixEpoch);

        var problem = Assert.Single(build.Errors);
        Assert.Equal(file, problem.File);
        Assert.Equal(files[file].Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(typo, StringComparison.Ordinal)).i + 1, problem.Line);
        Assert.Contains(suggestion, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", problem.Message, StringComparison.Ordinal);
    }
}
