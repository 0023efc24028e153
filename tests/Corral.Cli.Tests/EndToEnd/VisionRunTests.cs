using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary><c>corral run vision "… /path/to/image.png"</c>: the path becomes an image, as in ollama.</summary>
public sealed class VisionRunTests(CliVisionFixture fx) : IClassFixture<CliVisionFixture>
{
    [Fact]
    public async Task Create_with_two_from_lines_gives_a_vision_model()
    {
        Assert.True(fx.Created.ExitCode == 0, fx.Created.ToString());
        var show = await fx.RunAsync(["show", CliVisionFixture.Model]);
        Assert.Contains("vision", show.StandardOutput);
    }

    [Fact]
    public async Task Run_with_an_image_path_answers_as_generate_does_with_that_image()
    {
        var image = Png(seed: 3);
        var path = Path.Combine(fx.Folder, "picture one.png");
        await File.WriteAllBytesAsync(path, image);

        var run = await fx.RunAsync(["run", CliVisionFixture.Model, $"what is in '{path}'"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        var withImage = await GenerateAsync("what is in", image);
        var withoutImage = await GenerateAsync("what is in", null);
        Assert.NotEqual(withImage, withoutImage); // the image changes the answer, so the comparison below means something
        Assert.Equal(withImage.Trim(), run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_path_with_no_file_stays_in_the_prompt_and_is_reported()
    {
        var path = Path.Combine(fx.Folder, "missing.png");
        var run = await fx.RunAsync(["run", CliVisionFixture.Model, $"what is in {path}"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"No image at '{path}': it stays in the prompt as text.", run.StandardError);
        Assert.Equal((await GenerateAsync($"what is in {path}", null)).Trim(), run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_a_clear_error_before_anything_is_sent()
    {
        var path = Path.Combine(fx.Folder, "notes.png");
        await File.WriteAllTextAsync(path, "just some text, not a picture");

        var run = await fx.RunAsync(["run", CliVisionFixture.Model, $"what is in {path}"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Error: couldn't process image '{path}': invalid image type (not a JPEG, PNG or WebP file)", run.StandardError);
        Assert.Equal(string.Empty, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_png_the_server_cannot_decode_is_the_servers_clear_400()
    {
        var broken = Png(seed: 4)[..40]; // the signature and header, no image data
        var path = Path.Combine(fx.Folder, "broken.png");
        await File.WriteAllBytesAsync(path, broken);

        var run = await fx.RunAsync(["run", CliVisionFixture.Model, $"what is in {path}"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error: ", run.StandardError.Trim().Split('\n')[^1]);
        Assert.Contains("image", run.StandardError);
    }

    private async Task<string> GenerateAsync(string prompt, byte[]? image)
    {
        var body = new JsonObject { ["model"] = CliVisionFixture.Model, ["prompt"] = prompt, ["stream"] = false };
        if (image is not null)
        {
            body["images"] = new JsonArray(Convert.ToBase64String(image));
        }

        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fx.Http.PostAsync("/api/generate", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["response"]!.GetValue<string>();
    }

    /// <summary>A 32×32 RGB PNG with a pattern chosen by <paramref name="seed"/>.</summary>
    private static byte[] Png(int seed)
    {
        const int Side = 32;
        var raw = new MemoryStream();
        for (var y = 0; y < Side; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < Side; x++)
            {
                raw.WriteByte((byte)(x * seed * 8));
                raw.WriteByte((byte)(y * 8));
                raw.WriteByte((byte)((x + y) * seed));
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
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, Side);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), Side);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        png.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
