namespace Corral.Templates.GoTemplates;

/// <summary>The dynamic kind of a <see cref="TemplateValue"/>, mirroring the Go kinds templates care about.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifiers should not contain type names", Justification = "The enum lists Go value kinds (reflect.Kind); its members name types by design.")]
public enum TemplateKind : byte
{
    /// <summary>No value: a missing map key or a nil interface. Prints as "&lt;no value&gt;".</summary>
    Nil,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
    Object,
}
