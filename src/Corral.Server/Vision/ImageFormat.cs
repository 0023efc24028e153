namespace Corral.Server.Vision;

/// <summary>The image formats the runner's decoder (stb_image inside libmtmd) reads.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    Gif,
    Bmp,
}
