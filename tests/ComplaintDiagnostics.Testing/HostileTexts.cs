namespace ComplaintDiagnostics.Testing;

/// <summary>Text that tries to become markup or script when a page embeds it: each payload, if it ever ran, marks the
/// document (<c>data-pwned</c> on the body), which a test of a page looks for after rendering it in Chromium.</summary>
internal static class HostileTexts
{
    /// <summary>What a run payload leaves in a dumped DOM: the attribute, set (the payloads' text holds the name, never this).</summary>
    public const string Mark = "data-pwned=\"";

    public static readonly string[] Corpus =
    [
        "</script><script>document.body.setAttribute('data-pwned','script-close')</script>",
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
        "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
        "<!--<script>document.body.setAttribute('data-pwned','comment')</script>",
        "a\u2028b\u2029c</SCRIPT ><script>document.body.setAttribute('data-pwned','upper')</script>",
        "&lt;b&gt;entity&amp;&#x3c;",
        "'); document.body.setAttribute('data-pwned','quote'); ('",
        "${document.body.setAttribute('data-pwned','template')}",
    ];

    /// <summary>The same, each as it must read on the page: the text itself, shown as text.</summary>
    public static string AsDomText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\u00a0", "&nbsp;", StringComparison.Ordinal);
}
