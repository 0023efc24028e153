using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

/// <summary>Mirror of <c>struct llama_chat_message</c> (two UTF-8, NUL-terminated strings).</summary>
[NativeStruct("llama_chat_message")]
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeChatMessage
{
    public byte* role;
    public byte* content;
}
