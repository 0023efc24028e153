using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct mtmd_input_text</c> (mtmd.h): the prompt handed to mtmd_tokenize.</summary>
[NativeStruct("mtmd_input_text")]
[StructLayout(LayoutKind.Sequential)]
public struct NativeMtmdInputText
{
    public nint text;
    public nuint text_len;
    public CBool add_special;
    public CBool parse_special;
}
