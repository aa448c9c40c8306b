namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Marks a request field as personal data, in one place: on the contract type. Everything else derives from the mark:
/// a decision table may not test it (<c>TablePaths</c>), a rule expression may not read it (<c>RuleLanguage</c>), and it
/// is masked wherever a value is written for people (<see cref="Privacy"/>). A test fails for a field whose name says it
/// is personal (a phone number, an ID number, a name, an address of a person) and that carries no mark.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PersonalDataAttribute : Attribute;
