namespace Corral.Templates.GoTemplates;

/// <summary>
/// A Go struct as templates see it: named, exported fields. Implemented by the data model directly so that
/// field access needs no reflection.
/// </summary>
public interface ITemplateObject
{
    /// <summary>The Go type name used in error messages, e.g. "*template.templateMessage".</summary>
    string TypeName { get; }

    bool TryGetField(string name, out TemplateValue value);

    /// <summary>Writes the value as Go's encoding/json would marshal the equivalent Go struct.</summary>
    void WriteJson(GoJsonWriter writer);

    /// <summary>What fmt prints for the value (Go's %v); the String() of a Stringer, if the Go type has one.</summary>
    void Format(StringBuilder output);
}
