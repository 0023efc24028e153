using Corral.Server.Vision;

namespace Corral.Server.Tests.Vision;

public sealed class ImageInspectorTests
{
    [Fact]
    public void Reads_the_format_and_size_of_each_decodable_format()
    {
        Assert.True(ImageInspector.TryInspect(TestImages.Png((_, _) => (1, 2, 3), 40, 24), out var png, out _));
        Assert.Equal(new ImageHeader(ImageFormat.Png, 40, 24), png);

        Assert.True(ImageInspector.TryInspect(TestImages.JpegUpToScan, out var jpeg, out _));
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 16, 16), jpeg);

        byte[] gif = [.. "GIF89a"u8, 0x0A, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00];
        Assert.True(ImageInspector.TryInspect(gif, out var gifHeader, out _));
        Assert.Equal(new ImageHeader(ImageFormat.Gif, 10, 7), gifHeader);

        Assert.True(ImageInspector.TryInspect(TestImages.Bmp((_, _) => (0, 0, 0), 5, 3), out var bmp, out _));
        Assert.Equal(new ImageHeader(ImageFormat.Bmp, 5, 3), bmp);
    }

    [Theory]
    [InlineData("empty", "image is empty")]
    [InlineData("text", "unsupported image format (expected PNG, JPEG, GIF or BMP)")]
    [InlineData("webp", "WebP images are not supported (expected PNG, JPEG, GIF or BMP)")]
    [InlineData("png-header", "truncated PNG header")]
    [InlineData("jpeg-header", "truncated JPEG header")]
    [InlineData("jpeg-no-scan", "truncated JPEG (it ends before its image data)")]
    [InlineData("wide", "image is 20000x10 pixels; the limit is 16384 pixels a side")]
    [InlineData("huge", "image is 10000x10000 pixels; the limit is 64 megapixels")]
    [InlineData("zero", "PNG header has no valid dimensions (0x10)")]
    [InlineData("lossless-jpeg", "unsupported JPEG encoding (only baseline and progressive JPEGs can be decoded)")]
    public void Rejects_with_a_reason(string kind, string expected)
    {
        byte[] data = kind switch
        {
            "empty" => [],
            "text" => "hello, not an image"u8.ToArray(),
            "webp" => [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8 "u8],
            "png-header" => TestImages.Gradient[..20],
            "jpeg-header" => TestImages.TruncatedJpegHeader,
            "jpeg-no-scan" => TestImages.TruncatedJpeg,
            "wide" => TestImages.PngHeaderOnly(20000, 10),
            "huge" => TestImages.PngHeaderOnly(10000, 10000),
            "zero" => TestImages.PngHeaderOnly(0, 10),
            "lossless-jpeg" => [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.False(ImageInspector.TryInspect(data, out _, out var error));
        Assert.Equal(expected, error);
    }
}
