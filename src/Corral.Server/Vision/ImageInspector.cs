using System.Buffers.Binary;

namespace Corral.Server.Vision;

/// <summary>
/// Checks image bytes before they reach a runner: the format from its magic bytes (the ones libmtmd's
/// stb_image decodes: PNG, JPEG, GIF, BMP) and the dimensions from its header. This rejects what is not
/// an image, a header cut short and absurd sizes cheaply; pixel data damaged further in is caught by
/// the runner's decoder and also answered with a 400.
/// </summary>
public static class ImageInspector
{
    /// <summary>Largest width or height accepted.</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest pixel count accepted (64 Mpixel, 192 MiB once decoded to RGB).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    private const string Expected = "expected PNG, JPEG, GIF or BMP";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the header, or says in a sentence why these bytes are not an image the runner can use.</summary>
    public static bool TryInspect(ReadOnlySpan<byte> data, out ImageHeader header, out string error)
    {
        header = default;
        var (format, width, height, problem) = Sniff(data);
        if (problem is not null)
        {
            error = problem;
            return false;
        }

        if (width <= 0 || height <= 0)
        {
            error = $"{Name(format)} header has no valid dimensions ({width}x{height})";
            return false;
        }

        if (width > MaxSide || height > MaxSide)
        {
            error = $"image is {width}x{height} pixels; the limit is {MaxSide} pixels a side";
            return false;
        }

        if ((long)width * height > MaxPixels)
        {
            error = $"image is {width}x{height} pixels; the limit is {MaxPixels / (1024 * 1024)} megapixels";
            return false;
        }

        header = new ImageHeader(format, (int)width, (int)height);
        error = string.Empty;
        return true;
    }

    private static (ImageFormat Format, long Width, long Height, string? Problem) Sniff(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return (default, 0, 0, "image is empty");
        }

        if (StartsWith(data, PngSignature))
        {
            return Png(data);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return Jpeg(data);
        }

        if (StartsWith(data, "GIF87a"u8) || StartsWith(data, "GIF89a"u8))
        {
            return data.Length < 10
                ? (ImageFormat.Gif, 0, 0, "truncated GIF header")
                : (ImageFormat.Gif, BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]), null);
        }

        if (StartsWith(data, "BM"u8))
        {
            return Bmp(data);
        }

        if (data.Length >= 12 && StartsWith(data, "RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return (default, 0, 0, $"WebP images are not supported ({Expected})");
        }

        return (default, 0, 0, $"unsupported image format ({Expected})");
    }

    private static (ImageFormat, long, long, string?) Png(ReadOnlySpan<byte> data)
    {
        // Signature, then the IHDR chunk: length 13, "IHDR", width and height big-endian.
        if (data.Length < 8 + 8 + 13)
        {
            return (ImageFormat.Png, 0, 0, "truncated PNG header");
        }

        if (!data[12..16].SequenceEqual("IHDR"u8))
        {
            return (ImageFormat.Png, 0, 0, "corrupt PNG: the first chunk is not IHDR");
        }

        return (ImageFormat.Png, BinaryPrimitives.ReadUInt32BigEndian(data[16..]), BinaryPrimitives.ReadUInt32BigEndian(data[20..]), null);
    }

    private static (ImageFormat, long, long, string?) Jpeg(ReadOnlySpan<byte> data)
    {
        // Walk the marker segments: the start-of-frame holds the dimensions, and the start-of-scan must
        // follow it (a file that ends before its scan has no pixels; stb_image would make up grey ones).
        long width = 0, height = 0;
        var sawFrame = false;
        var i = 2;
        while (true)
        {
            while (i < data.Length && data[i] == 0xFF)
            {
                i++; // fill bytes before a marker
            }

            if (i >= data.Length)
            {
                return (ImageFormat.Jpeg, 0, 0, sawFrame ? "truncated JPEG (it ends before its image data)" : "truncated JPEG header");
            }

            var marker = data[i++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            if (marker is 0xD9 || (marker is 0xDA && !sawFrame))
            {
                return (ImageFormat.Jpeg, 0, 0, "corrupt JPEG: image data before any frame header");
            }

            if (marker is 0xDA)
            {
                return (ImageFormat.Jpeg, width, height, null);
            }

            if (i + 2 > data.Length)
            {
                return (ImageFormat.Jpeg, 0, 0, "truncated JPEG header");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            if (length < 2)
            {
                return (ImageFormat.Jpeg, 0, 0, "corrupt JPEG: bad segment length");
            }

            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame && !sawFrame)
            {
                if (marker is not (0xC0 or 0xC1 or 0xC2))
                {
                    return (ImageFormat.Jpeg, 0, 0, "unsupported JPEG encoding (only baseline and progressive JPEGs can be decoded)");
                }

                // length(2) precision(1) height(2) width(2)
                if (i + 7 > data.Length)
                {
                    return (ImageFormat.Jpeg, 0, 0, "truncated JPEG header");
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 3)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                sawFrame = true;
            }

            i += length;
        }
    }

    private static (ImageFormat, long, long, string?) Bmp(ReadOnlySpan<byte> data)
    {
        // File header (14 bytes), then the DIB header whose first field is its own size.
        if (data.Length < 26)
        {
            return (ImageFormat.Bmp, 0, 0, "truncated BMP header");
        }

        var dibSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (dibSize == 12)
        {
            return (ImageFormat.Bmp, BinaryPrimitives.ReadUInt16LittleEndian(data[18..]), BinaryPrimitives.ReadUInt16LittleEndian(data[20..]), null);
        }

        // A negative height means rows stored top-down.
        return (ImageFormat.Bmp, BinaryPrimitives.ReadInt32LittleEndian(data[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..])), null);
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix) => data.StartsWith(prefix);

    private static string Name(ImageFormat format) => format.ToString().ToUpperInvariant();
}
