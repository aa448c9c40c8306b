namespace ComplaintDiagnostics.Testing;

/// <summary>
/// Expressions a clumsy or a hostile rule author might write in place of a rule's condition: typos, wrong
/// arity and types, broken syntax, loops, allocations, the clock and leaks of personal data. Every one must be
/// refused cleanly (a located problem, never an exception, never a run) by lint, validate, a live reload and a
/// start. Shared by the test projects (linked, like <see cref="RepoPaths"/>).
/// </summary>
internal static class HostileExpressions
{
    /// <summary>Each entry: a short label for the test name, and the expression text.</summary>
    public static IReadOnlyList<(string Label, string Expression)> All { get; } =
    [
        // Method typos and wrong arity (the parser throws InvalidOperationException or ArgumentException for these).
        ("method typo Contain", "ticket.Unknown(\"billing\").Contain(\"billing\")"),
        ("Length as a method", "ticket.Unknown(\"billing\").Length() > 0"),
        ("Any with a value", "ticket.Unknown(\"billing\").Any(\"billing\")"),
        ("Clone", "ticket.Unknown(\"billing\").Clone() != null"),
        ("wrong arity", "ticket.Location.Description.StartsWith() == true"),
        ("field typo", "ticket.Biling == \"ocs\""),
        ("nested field typo", "ticket.FrontDeskChecks.Restartd == false"),
        ("wrong type comparison", "ticket.InArrears == \"yes\""),
        ("number against enum", "ticket.Billing > 3"),
        ("text against number", "ticket.Location.SignalBars == \"two\""),
        ("in list of enum text", "ticket.Billing in (\"postpaid\", \"ocs\")"),
        ("unbalanced parentheses", "(ticket.InArrears == true"),
        ("extra parenthesis", "ticket.InArrears == true)"),
        ("unquoted enum value", "ticket.Billing == postpaid"),
        ("assignment for comparison", "ticket.InArrears = true"),
        ("not boolean", "ticket.Location.SignalBars"),
        ("empty call", "ticket.Unknown()"),
        ("unknown function", "contains(ticket.Location.Description, \"x\")"),
        ("unterminated text", "ticket.Location.Description == \"boom"),
        ("dangling operator", "ticket.InArrears == true &&"),

        // CPU bombs.
        ("range count", "Enumerable.Range(0, 2000000000).Where(i => i >= 0).Count() > 0"),
        ("nested range", "Enumerable.Range(0, 2000000000).Select(i => Enumerable.Range(0, 2000000000).Where(j => j >= 0).Count()).Max() > 0"),
        ("guarded range", "ticket.Location.Description == \"boom\" && Enumerable.Range(0, 2000000000).Count() > 0"),
        ("nested list tests", "new[] {1,2,3}.Any(a => new[] {1,2,3}.Any(b => new[] {1,2,3}.Any(c => a + b + c > 100)))"),
        ("repeat count", "Enumerable.Repeat(1, 2000000000).Count() > 0"),

        // Memory bombs.
        ("pad left", "\"a\".PadLeft(1000000000).Length > 0"),
        ("format string", "Math.Max(1, 2).ToString(\"N999999999\").Length > 0"),
        ("join repeat", "string.Join(\",\", Enumerable.Repeat(\"abcdefghij\", 100000000)).Length > 0"),
        ("new string", "new string('a', 1000000000).Length > 0"),
        ("concatenation", "(ticket.Location.Description + ticket.Location.Description).Length > 0"),
        ("replace", "\"a\".Replace(\"a\", \"aaaaaaaaaa\").Length > 0"),

        // Leaks and the clock.
        ("record ToString", "ticket.Customer.ToString().Length > 0"),
        ("msisdn", "ticket.Customer.Msisdn == \"13812345678\""),
        ("msisdn starts with", "ticket.Customer.Msisdn.StartsWith(\"138\")"),
        ("intern", "string.Intern(\"13812345678\") != null"),
        ("is interned", "string.IsInterned(\"13812345678\") != null"),
        ("DateTime.Now", "DateTime.Now.Hour > 8"),
        ("DateTimeOffset.UtcNow", "DateTimeOffset.UtcNow.Hour > 8"),
        ("environment", "Environment.ProcessorCount > 0"),
        ("GetType", "ticket.GetType().Name == \"ComplaintTicket\""),
        ("enum ToString", "ticket.Billing.ToString() == \"Ocs\""),
        ("customer equality", "ticket.Customer == ticket.Customer"),
    ];

    /// <summary>The corpus as xunit theory data (the label names the case).</summary>
    public static TheoryData<string> Labels()
    {
        var data = new TheoryData<string>();
        foreach (var (label, _) in All)
        {
            data.Add(label);
        }
        return data;
    }

    public static string Get(string label) => All.Single(e => e.Label == label).Expression;

    /// <summary>The rule set the corpus is tried on: the engine fixture, so a NOC edit of rules/ changes nothing here
    /// (the red-team used the shipped data workflow's D1; the fixture's R1 has the same condition).</summary>
    public static string Folder => RepoPaths.EngineFixture;

    /// <summary>The workflow file whose rule <see cref="Rule"/> takes each expression.</summary>
    public const string File = "workflows/main.json";

    public const string Rule = "R1_First";

    /// <summary>Rule R1's condition, replaced by each expression.</summary>
    public const string ReplacedCondition = "\"Expression\": \"ticket.InArrears == true\"";

    /// <summary>Rewrites <see cref="File"/> so that rule R1's condition is <paramref name="expression"/>.</summary>
    public static string InWorkflow(string relativePath, string text, string expression) =>
        relativePath == File
            ? text.Replace(ReplacedCondition, "\"Expression\": " + System.Text.Json.JsonSerializer.Serialize(expression), StringComparison.Ordinal)
            : text;

    /// <summary>The fixture's workflow file with rule R1's condition replaced.</summary>
    public static string Broken(string label) =>
        InWorkflow(File, System.IO.File.ReadAllText(Path.Combine(Folder, File)), Get(label));
}
