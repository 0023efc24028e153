namespace Corral.Llama.Native;

/// <summary>
/// Marks a C# struct as a mirror of a C struct in llama.h. The ABI test finds every struct with
/// this attribute and checks its size and field offsets against the C compiler's, so the field
/// names of such a struct must be exactly the C field names.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NativeStructAttribute(string cName) : Attribute
{
    /// <summary>The C struct tag, as in <c>struct &lt;CName&gt;</c>.</summary>
    public string CName { get; } = cName;
}
