using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>What may reach a log, a console or a report: no personal number in any spelling, no control
/// characters, and ticket ids that hold no number stay readable.</summary>
public sealed class PrivacyTests
{
    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("138-1234-5678", "138****5678")]
    [InlineData("138 1234 5678", "138****5678")]
    [InlineData("+86 138 1234 5678", "+86 138****5678")]
    [InlineData("+86 (138) 1234-5678", "+86 138****5678")]
    [InlineData("0086-138-1234-5678", "0086 138****5678")]
    [InlineData("8613812345678", "86 138****5678")]
    [InlineData("T.138.1234.5678", "T.138****5678")]
    [InlineData("138\u200B12345678", "138****5678")]
    [InlineData("1381234\u200B5678", "138****5678")]
    [InlineData("138\u2060\u200C1234\u200D5678", "138****5678")]
    [InlineData("１３８１２３４５６７８", "138****5678")]
    [InlineData("１３８－１２３４－５６７８", "138****5678")]
    [InlineData("一三八一二三四五六七八", "138****5678")]
    [InlineData("回拨幺三八 幺二三四 五六七八", "回拨138****5678")]
    [InlineData("电话138一二三四五六七八谢谢", "电话138****5678谢谢")]
    [InlineData("第一 13812345678", "第一 138****5678")]
    [InlineData("1 3 8 1 2 3 4 5 6 7 8", "138****5678")]
    [InlineData("10010-13812345678-01", "10010-138****5678-01")]
    [InlineData("TK13812345678", "TK138****5678")]
    [InlineData("010-12345678", "010****5678")]
    [InlineData("110101199003071234", "**************1234")]
    [InlineData("11010119900307123X", "**************123X")]
    [InlineData("110101 19900307 1234", "**************1234")]
    [InlineData("110101900307123", "***********7123")]
    [InlineData("call 13812345678 or 13912345678", "call 138****5678 or 139****5678")]
    public void PersonalNumbersAreMaskedInEverySpelling(string text, string logged)
    {
        Assert.Equal(logged, Privacy.ForLog(text));
    }

    [Theory]
    [InlineData("10010-20261128-0001")]
    [InlineData("10019-20261128-0042")]
    [InlineData("S-0001-20261128")]
    [InlineData("order 20261128")]
    [InlineData("10086")]
    [InlineData("二〇二六年十二月七日 三号楼 一二三四五六七八九")]
    [InlineData("工单10010-20261128-0001一直未处理")]
    [InlineData("同一 10010-20261128-0001")]
    public void TicketIdsWithoutANumberStayReadable(string id)
    {
        Assert.Equal(id, Privacy.ForLog(id));
    }

    [Theory]
    [InlineData("a\nFORGED info: line", "aFORGED info: line")]
    [InlineData("a\r\nb", "ab")]
    [InlineData("red\u001b[31m!", "red[31m!")]
    [InlineData("a\u2028b\u2029c", "abc")]
    [InlineData("rtl\u202Eevil", "rtlevil")]
    [InlineData("tab\tsep", "tabsep")]
    public void ControlAndInvisibleCharactersAreStripped(string text, string logged)
    {
        Assert.Equal(logged, Privacy.ForLog(text));
    }

    [Fact]
    public void LongValuesAreCut()
    {
        var logged = Privacy.ForLog(new string('a', 1000));

        Assert.Equal(Privacy.MaxLoggedLength + 1, logged.Length);
        Assert.EndsWith("…", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void NoElevenDigitRunSurvivesAnySeparator()
    {
        string[] separators = [" ", "-", ".", "(", ")", "/", "\u00A0", "\u3000", "\u200B", "\uFEFF", "－", "—"];
        foreach (var separator in separators)
        {
            var text = "x" + string.Join(separator, "138", "1234", "5678") + "y";
            var digits = new string([.. Privacy.ForLog(text).Where(char.IsDigit)]);
            Assert.DoesNotContain("1234", digits[3..^4], StringComparison.Ordinal);
            Assert.Equal(7, digits.Length);
        }
    }
}
