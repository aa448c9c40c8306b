namespace ComplaintDiagnostics.Core.Serving;

/// <summary>
/// Which row matched first in each workflow of one folded engine call, written by the rows' folded expression
/// (<see cref="EngineShapes"/>): <c>(ticket.InArrears == true) &amp;&amp; firstHits.Hit(0, 1) || ...</c>. A slot per
/// workflow of the call (the diagnosis workflow, or each policy in manifest order).
/// </summary>
/// <remarks>Public because RulesEngine's expression parser only binds to public members. Rule authors cannot reach
/// it: every engine call takes it (see <see cref="RuleServer.NoHits"/>), but a rule's text is first parsed by the
/// expression check, which knows only the ticket, the diagnosis and the follow-up, so a rule naming it is refused
/// ("Type 'firstHits' not found"), and a local parameter of that name is refused too.</remarks>
public sealed class FirstHits
{
    private readonly int[] _rows;
    private readonly string[]?[] _missing;

    internal FirstHits(int slots)
    {
        _rows = new int[slots];
        _missing = new string[slots][];
        Array.Fill(_rows, -1);
    }

    /// <summary>Row <paramref name="row"/> of the workflow in <paramref name="slot"/> matched; true, so the
    /// expression stops there.</summary>
    public bool Hit(int slot, int row)
    {
        _rows[slot] = row;
        return true;
    }

    /// <summary>A <c>MustState</c> row: it matches when something it lists is unknown.</summary>
    public bool Needs(int slot, int row, string[] missing) => missing is { Length: > 0 } && Ask(slot, row, missing);

    /// <summary>A row that asks for <paramref name="missing"/> when its condition holds.</summary>
    public bool Ask(int slot, int row, string[] missing)
    {
        _rows[slot] = row;
        _missing[slot] = missing;
        return true;
    }

    /// <summary>The row that matched in <paramref name="slot"/>, or -1.</summary>
    internal int Row(int slot) => _rows[slot];

    /// <summary>What the matching row asks for, or null.</summary>
    internal string[]? Missing(int slot) => _missing[slot];
}
