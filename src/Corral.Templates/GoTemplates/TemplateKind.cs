namespace Corral.Templates.GoTemplates;

/// <summary>The dynamic kind of a <see cref="TemplateValue"/>, mirroring the Go kinds templates care about.</summary>
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
