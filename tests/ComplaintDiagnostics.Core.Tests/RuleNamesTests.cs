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

    [Fact]
    public void AnOverlongNameIsRefused() =>
        Assert.Contains("a name is at most 128", RuleNames.Problem("rule name", new string('R', 129)), StringComparison.Ordinal);
}
