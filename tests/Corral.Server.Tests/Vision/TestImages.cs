using System.Buffers.Binary;
using System.IO.Compression;

namespace Corral.Server.Tests.Vision;

/// <summary>Small images encoded by hand (PNG, BMP) and broken ones, for the vision tests.</summary>
internal static class TestImages
{
    /// <summary>A 32×32 RGB PNG filled by <paramref name="pixel"/>(x, y).</summary>
    public static byte[] Png(Func<int, int, (byte R, byte G, byte B)> pixel, int width = 32, int height = 32)
    {
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw.WriteByte(r);
                raw.WriteByte(g);
                raw.WriteByte(b);
            }
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(z);
        }

        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Red-to-blue horizontal gradient.</summary>
    public static byte[] Gradient => Png((x, _) => ((byte)(255 - (x * 8)), 0, (byte)(x * 8)));

    /// <summary>Black and white checkerboard in 4-pixel squares.</summary>
    public static byte[] Checkers => Png((x, y) => ((x / 4) + (y / 4)) % 2 == 0 ? ((byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0));

    /// <summary>A PNG header claiming <paramref name="width"/>×<paramref name="height"/> (no pixel data).</summary>
    public static byte[] PngHeaderOnly(uint width, uint height)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        return png.ToArray();
    }

    /// <summary>A valid PNG cut in the middle of its pixel data: the header checks pass, decoding fails.</summary>
    public static byte[] TruncatedPng
    {
        get
        {
            var noise = new Random(7);
            var png = Png((_, _) => ((byte)noise.Next(256), (byte)noise.Next(256), (byte)noise.Next(256)));
            return png[..(png.Length / 2)];
        }
    }

    /// <summary>A JPEG whose start-of-frame is complete (16×16) but which ends right after it: no tables, no scan.</summary>
    public static byte[] TruncatedJpeg => [.. JpegHead];

    /// <summary><see cref="TruncatedJpeg"/> followed by a start-of-scan header: the inspector reads 16×16 from it.</summary>
    public static byte[] JpegUpToScan => [.. JpegHead, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00];

    private static byte[] JpegHead =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    ];

    /// <summary>A JPEG cut inside its first segment.</summary>
    public static byte[] TruncatedJpegHeader => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F'];

    /// <summary>A 24-bit BMP, 32×32, filled by <paramref name="pixel"/>.</summary>
    public static byte[] Bmp(Func<int, int, (byte R, byte G, byte B)> pixel, int width = 32, int height = 32)
    {
        var rowBytes = ((width * 3) + 3) & ~3;
        var data = new byte[54 + (rowBytes * height)];
        "BM"u8.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(2), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(28), 24);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, height - 1 - y); // rows bottom-up
                var at = 54 + (y * rowBytes) + (x * 3);
                data[at] = b;
                data[at + 1] = g;
                data[at + 2] = r;
            }
        }

        return data;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        png.Write(number);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeBytes, data));
        png.Write(number);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
