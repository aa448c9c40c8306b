using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// Which row matched first in each workflow of one served engine call, written by the rows' folded expression
/// (see <c>ServingShape</c>): <c>(ticket.InArrears == true) &amp;&amp; firstHits.Hit(0, 1) || ...</c>. A slot per
/// workflow of the call (the diagnosis workflow, or each policy in manifest order).
/// </summary>
/// <remarks>Public because RulesEngine's expression parser only binds to public members. Rule authors cannot reach
/// it: every engine call takes it (see <c>ServingShape.NoHits</c>), but a rule's text is first parsed by the
/// expression check, which knows only the ticket, the diagnosis and the follow-up, so a rule naming it is refused
/// ("Type 'firstHits' not found"), and a local parameter of that name is refused too.</remarks>
public sealed class FirstHits
{
    private readonly int[] _rows;
    private readonly string[]?[] _missing;
    private readonly LoadedWorkflow? _diagnosis;
    private readonly DiagnosisFacts? _facts;
    private readonly int _serving = -1;

    internal FirstHits(int slots)
    {
        _rows = new int[slots];
        _missing = new string[slots][];
        Array.Fill(_rows, -1);
    }

    /// <summary>For the diagnosis-and-policies shape: <paramref name="diagnosis"/>, the workflow of index
    /// <paramref name="serving"/> there, is the one to run (<see cref="Serves"/>), and <see cref="Diagnosed"/> decides
    /// <paramref name="facts"/> from the row of it recorded in slot 0.</summary>
    internal FirstHits(int slots, LoadedWorkflow diagnosis, int serving, DiagnosisFacts facts)
        : this(slots)
    {
        _diagnosis = diagnosis;
        _serving = serving;
        _facts = facts;
    }

    /// <summary>In the diagnosis-and-policies shape: whether the diagnosis workflow of index <paramref name="workflow"/>
    /// there is the complaint's, so its run is the one evaluated.</summary>
    public bool Serves(int workflow) => workflow == _serving;

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

    /// <summary>
    /// In the diagnosis-and-policies shape (<c>ServingShape.WithPolicies</c>), between the diagnosis run and the
    /// policies: the outcome of the diagnosis row recorded in slot 0 becomes the <c>diagnosis</c> input the policies
    /// read. False when no row was recorded (the policies then do not run, and the caller answers the other way).
    /// </summary>
    public bool Diagnosed()
    {
        var row = _rows[0];
        if (_diagnosis is null || _facts is null || row < 0 || row >= _diagnosis.Rules.Count)
        {
            return false;
        }
        var outcome = _diagnosis.Rules[row].Outcome;
        _facts.Decide(outcome.Status, outcome.Cause!, outcome.Route!.Value);
        return true;
    }

    /// <summary>The row that matched in <paramref name="slot"/>, or -1.</summary>
    internal int Row(int slot) => _rows[slot];

    /// <summary>What the matching row asks for, or null.</summary>
    internal string[]? Missing(int slot) => _missing[slot];
}
