using Corral.Server.Vision;

namespace Corral.Fuzz.Targets;

/// <summary>
/// <see cref="ImageInspector.TryInspect"/> on a request's image bytes. It answers every input with true or false
/// and a reason, so any exception at all is a finding, as is a header it accepts outside its own limits.
/// </summary>
public sealed class ImageTarget : IFuzzTarget
{
    public string Name => "image";

    public void Run(ReadOnlySpan<byte> data)
    {
        if (ImageInspector.TryInspect(data, out ImageHeader header, out _)
            && (header.Width is < 1 or > ImageInspector.MaxSide || header.Height is < 1 or > ImageInspector.MaxSide))
        {
            throw new InvalidOperationException($"accepted an image of {header.Width}x{header.Height}");
        }
    }
}
