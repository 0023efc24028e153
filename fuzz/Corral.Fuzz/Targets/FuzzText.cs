using System.Text;

namespace Corral.Fuzz.Targets;

/// <summary>Bytes to text the way the server gets it: JSON strings and files decoded as UTF-8, bad bytes replaced.</summary>
internal static class FuzzText
{
    public static string Decode(ReadOnlySpan<byte> data) => Encoding.UTF8.GetString(data);
}
