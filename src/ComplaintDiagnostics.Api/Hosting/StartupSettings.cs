using ComplaintDiagnostics.Api.Audit;
using ComplaintDiagnostics.Api.Security;
using ComplaintDiagnostics.Api.Http;
using System.Reflection;
using ComplaintDiagnostics.Core.Rules;
using Microsoft.Extensions.Options;

namespace ComplaintDiagnostics.Api.Hosting;

/// <summary>
/// The service's own settings checked before anything starts: a key its options do not have (<c>Security__Userz__0__Name</c>,
/// <c>Rules__Pth</c>) or a value out of range stops the start with one line naming the setting, the one meant and the
/// section's settings, and exit code 1, never a stack trace (an operator reads it in <c>kubectl logs</c>).
/// </summary>
internal static class StartupSettings
{
    // The sections bound with ServiceCollectionExtensions.Strictly: a new strict section goes here too.
    private static readonly (string Section, Type Options)[] Sections =
    [
        (RulesOptions.Section, typeof(RulesOptions)), (SecurityOptions.Section, typeof(SecurityOptions)),
        (DiagnoseOptions.Section, typeof(DiagnoseOptions)), (ShutdownOptions.Section, typeof(ShutdownOptions)),
        (ComplaintDiagnostics.Decisions.DecisionOptions.Section, typeof(ComplaintDiagnostics.Decisions.DecisionOptions)),
    ];

    public const int ExitCode = 1;

    /// <summary>The first setting under the service's sections that its options do not have, in words; or null.</summary>
    public static string? Unknown(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (section, type) in Sections)
        {
            foreach (var key in configuration.GetSection(section).GetChildren())
            {
                if (Unknown(key, type, section) is { } problem)
                {
                    return problem;
                }
            }
        }
        return null;
    }

    private static string? Unknown(IConfigurationSection key, Type type, string owner)
    {
        var settings = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        if (settings.FirstOrDefault(p => string.Equals(p.Name, key.Key, StringComparison.OrdinalIgnoreCase)) is not { } setting)
        {
            var names = settings.Select(p => p.Name).ToList();
            var meant = DidYouMean.Closest(key.Key, names, maxEdits: Math.Max(2, key.Key.Length / 3));
            return $"The setting '{key.Path}' (environment variable {key.Path.Replace(":", "__", StringComparison.Ordinal)}) is not one the service has"
                + (meant is null ? "." : $"; did you mean '{owner}:{meant}'?") + $" The settings of the {owner} section are: {string.Join(", ", names)}.";
        }
        var element = setting.PropertyType.IsArray ? setting.PropertyType.GetElementType()! : setting.PropertyType;
        if (setting.PropertyType.IsArray)
        {
            var env = key.Path.Replace(":", "__", StringComparison.Ordinal);
            // An empty list in a JSON file ("DiagnoseKeys": []) reads as an empty value: that is no list given as a value.
            if (!string.IsNullOrEmpty(key.Value))
            {
                return $"The setting '{key.Path}' is a list: give its items as {key.Path}:0, {key.Path}:1, ... (environment variables {env}__0, {env}__1, ...).";
            }
            foreach (var item in key.GetChildren())
            {
                if (!int.TryParse(item.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return $"The setting '{item.Path}' is no item of the list {key.Path}: items are numbered, {key.Path}:0, {key.Path}:1, ... (environment variable {env}__0).";
                }
                if (element == typeof(string) && string.IsNullOrWhiteSpace(item.Value) && !item.GetChildren().Any())
                {
                    return $"The setting '{item.Path}' is empty: an empty item (a key nobody can send) is no setting; leave it out.";
                }
            }
        }
        if (element == typeof(string) || element.IsPrimitive || element.IsEnum || !element.IsClass)
        {
            // One value given as a list (Security:Users:0:Roles:0): the binder would stop the start with a stack trace.
            return !setting.PropertyType.IsArray && key.GetChildren().Any()
                ? $"The setting '{key.Path}' is one value, not a list: give it as {key.Path} (environment variable {key.Path.Replace(":", "__", StringComparison.Ordinal)}), "
                    + "several values separated by commas where it takes several (Roles: author,approver)."
                : null;
        }
        // A list of objects (Security:Users:0:Name) or an object: each of its keys against the element's settings.
        var items = setting.PropertyType.IsArray ? key.GetChildren() : [key];
        return items.SelectMany(item => item.GetChildren()).Select(child => Unknown(child, element, $"{key.Path}:N")).FirstOrDefault(p => p is not null);
    }

    /// <summary>The first section whose values are out of range or unreadable, in one line; or null. Checked before the host
    /// starts, which would otherwise log the failure with a stack trace.</summary>
    public static string? Invalid(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (section, type) in Sections)
        {
            var options = Activator.CreateInstance(type)!;
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            try
            {
                configuration.GetSection(section).Bind(options);
                if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
                {
                    return $"The {section} settings are not valid: {string.Join(" ", results.Select(r => $"{section}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"))}";
                }
            }
#pragma warning disable CA1031 // Whatever a value makes binding or a range check throw (NaN, 1e308, a word for a number) is a bad setting, said in one line.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return $"The {section} settings are not valid: {Culprit(configuration, section, options)}{(ex.InnerException ?? ex).Message.Split('\n')[0].Trim()}";
            }
        }
        return null;
    }

    /// <summary>The setting whose own check throws (a range check given NaN or 1e308), as "Section:Name 'value': ", or "".</summary>
    private static string Culprit(IConfiguration configuration, string section, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            try
            {
                System.ComponentModel.DataAnnotations.Validator.TryValidateProperty(property.GetValue(options), new(options) { MemberName = property.Name }, []);
            }
#pragma warning disable CA1031 // Looking for the one that throws.
            catch (Exception)
#pragma warning restore CA1031
            {
                return $"{section}:{property.Name} '{configuration[$"{section}:{property.Name}"]}' is not a number in range: ";
            }
        }
        return "";
    }

    /// <summary>A value out of range, as the options' validation words it, in one line.</summary>
    public static string OutOfRange(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"The {exception.OptionsType.Name.Replace("Options", "", StringComparison.Ordinal)} settings are not valid: {string.Join(" ", exception.Failures)}";
    }
}
