using ComplaintDiagnostics.Core.Rules.Compiling;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>What a name written by a rule author may hold (rules/README.md, "Names"): letters and digits of any script,
/// inner spaces and _ - . : / ( ) #; never a character that forges a log line, moves a terminal or is markup.</summary>
public sealed class RuleNamesTests
{
    [Theory]
    [InlineData("D3_SimNotActivated")]
    [InlineData("network.normal.keepWatching")]
    [InlineData("V2 室内弱覆盖 (night)")]
    [InlineData("E2:ResolveOverdue/#2")]
    [InlineData("Café-naïve")] // a letter with its accent, composed or not
    [InlineData("Cafe\u0301")]
    public void AnOrdinaryNameIsAccepted(string name) => Assert.Null(RuleNames.Problem("rule name", name));

    [Theory]
    [InlineData("R1\u001b[31m", "U+001B, a control character")]
    [InlineData("R1\nDiagnosed ticket FORGED", "U+000A, a control character")]
    [InlineData("R1\r", "U+000D, a control character")]
    [InlineData("R1\u0085", "U+0085, a control character")]
    [InlineData("R1\u200b", "U+200B, an invisible formatting character")]
    [InlineData("R1\u202e", "U+202E, an invisible formatting character")]
    [InlineData("R1\ufeff", "U+FEFF, an invisible formatting character")]
    [InlineData("R1\u2028", "U+2028, a line break")]
    [InlineData("R1\u00a0x", "U+00A0, a space other than the plain one")]
    [InlineData("R1<script>", "'<'")]
    [InlineData("R1\"", "'\"'")]
    [InlineData("R1&amp;", "'&'")]
    [InlineData("R1{contactBy}", "'{'")]
    [InlineData("\u3164", "U+3164, a character that shows nothing")]
    [InlineData("D1_AccountInArrears\u034F", "U+034F, a character that shows nothing")]
    [InlineData("R1\ufe0f", "U+FE0F, a character that shows nothing")]
    [InlineData("R1\U000E0100", "U+E0100, a character that shows nothing")]
    public void ANameThatCouldForgeOrDisguiseIsRefusedWithTheCharacterNamed(string name, string named)
    {
        var problem = RuleNames.Problem("rule name", name);

        Assert.NotNull(problem);
        Assert.Contains($"holds {named}, which a name may not hold", problem, StringComparison.Ordinal);
        // The finding quotes the name with what it may not hold as a code point, never the raw character.
        Assert.DoesNotContain(problem, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
    }

    [Theory]
    [InlineData(" R1")]
    [InlineData("R1 ")]
    public void ALeadingOrTrailingSpaceIsRefused(string name) =>
        Assert.Contains("begins or ends with a space", RuleNames.Problem("rule name", name), StringComparison.Ordinal);

    [Theory]
    [InlineData("\u0300R1", "combining marks at its start")]
    [InlineData("R\u0336\u0336\u0336\u0336", "combining marks more than 3 in a row")]
    public void MarksThatDisguiseANameAreRefused(string name, string words) =>
        Assert.Contains(words, RuleNames.Problem("rule name", name), StringComparison.Ordinal);

    /// <summary>Catalogue codes are held to their schema patterns by the compiler (NJsonSchema does not check
    /// propertyNames): a notify code holding ESC and a bidi override was accepted and reached every follow-up answer.</summary>
    [Theory]
    [InlineData("notify.json", "\"shiftLeader\"", "\"shift\\u001b[2J\\u202eLeader\"", "notify code")]
    [InlineData("actions.json", "\"callCustomer\"", "\"callCustomer\\u3164\"", "action code")]
    [InlineData("causes.json", "\"ACCOUNT_ARREARS\":", "\"ACCOUNT_ARREARS\\u202e\":", "cause code")]
    public async Task ACatalogueCodeOutsideItsPatternIsRefused(string file, string from, string to, string kind)
    {
        var build = await Rules.RuleSetCompiler.CompileAsync(ShippedRules.With(file, from, to), DateTimeOffset.UnixEpoch);

        Assert.Null(build.RuleSet);
        Assert.Contains(build.Errors, p => p.File == file && p.Message.Contains($"the {kind} '", StringComparison.Ordinal)
            && !p.Message.Contains('\u001b', StringComparison.Ordinal) && !p.Message.Contains('\u202e', StringComparison.Ordinal));
    }

    [Fact]
    public void AnOverlongNameIsRefused() =>
        Assert.Contains("a name is at most 128", RuleNames.Problem("rule name", new string('R', 129)), StringComparison.Ordinal);
}
