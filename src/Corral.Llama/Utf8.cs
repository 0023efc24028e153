using System.Text;

namespace Corral.Llama;

/// <summary>UTF-8 helpers for strings handed to native code.</summary>
internal static class Utf8
{
    /// <summary>The UTF-8 bytes of <paramref name="value"/> followed by a NUL.</summary>
    public static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
