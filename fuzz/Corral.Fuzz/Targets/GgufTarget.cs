using Corral.Models.Gguf;

namespace Corral.Fuzz.Targets;

/// <summary>
/// <see cref="GgufReader"/> on a whole file, then the /api/show view of its metadata. A GGUF is whatever a user
/// pulled or copied in; <see cref="GgufFormatException"/> is the only answer it may give to a bad one.
/// </summary>
public sealed class GgufTarget : IFuzzTarget
{
    public string Name => "gguf";

    public void Run(ReadOnlySpan<byte> data)
    {
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            GgufFile file = GgufReader.Read(stream);
            _ = GgufModelInfo.ToJson(file, includeArrays: true);
            stream.Position = 0;
            _ = GgufReader.Read(stream, GgufReadOptions.MetadataOnly);
        }
        catch (GgufFormatException)
        {
        }
    }
}
