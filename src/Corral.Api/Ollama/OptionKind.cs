namespace Corral.Api.Ollama;

/// <summary>The JSON type an entry of <see cref="ModelOptions"/> takes.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifiers should not contain type names", Justification = "The enum lists the JSON types of model options; its members name types by design.")]
public enum OptionKind
{
    Integer,
    Float,
    Boolean,
    StringArray,
}
