namespace Corral.Llama.Native;

/// <summary>
/// A C99 <c>bool</c> inside a struct: one byte, 0 or 1. Keeps the native structs blittable
/// (a C# <c>bool</c> field would be marshalled as a 4-byte Win32 BOOL).
/// </summary>
public readonly record struct CBool(byte Value)
{
    public static implicit operator bool(CBool value) => value.Value != 0;

    public static implicit operator CBool(bool value) => new(value ? (byte)1 : (byte)0);

    public override string ToString() => Value != 0 ? "true" : "false";
}
