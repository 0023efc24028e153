using System.Security.Cryptography;
using Corral.Llama.Multimodal;
using Corral.TestModels;

namespace Corral.Llama.Tests.Multimodal;

/// <summary>libmtmd through the bindings: the generated projector on the random text model, real images.</summary>
public sealed class MtmdContextTests(VisionFixture fixture) : IClassFixture<VisionFixture>
{
    private static readonly int TokensPerImage = TestModelWriter.VisionProjectorShape.TokensPerImage;

    private MtmdContext Projector => fixture.Projector;

    private static byte[] Jpeg => File.ReadAllBytes(Path.Combine(TestEnvironment.LlamaSource, "tools", "mtmd", "test-1.jpeg"));

    [Fact]
    public void The_projector_loads_for_its_text_model()
    {
        Assert.True(MtmdContext.IsLibraryAvailable);
        Assert.True(Projector.SupportsVision);
        Assert.False(Projector.SupportsAudio);
        Assert.False(Projector.UsesMRope);
        Assert.Equal("<__media__>", Projector.Marker);
        Assert.Equal(Projector.Marker, MtmdContext.DefaultMarker);
        Assert.Equal(TestModelWriter.VisionProjectorShape.ProjectionLength, fixture.Model.InputEmbeddingLength);
    }

    [Fact]
    public void A_png_decodes_to_its_size_with_the_sha256_of_its_bytes_as_id()
    {
        var png = TestPng.Gradient(20, 12);
        using var bitmap = Projector.DecodeImage(png);
        Assert.Equal(20, bitmap.Width);
        Assert.Equal(12, bitmap.Height);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), bitmap.Id);

        bitmap.Id = "custom";
        Assert.Equal("custom", bitmap.Id);
    }

    [Fact]
    public void A_jpeg_decodes_to_its_size()
    {
        using var bitmap = Projector.DecodeImage(Jpeg);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(488, bitmap.Height);
    }

    public static TheoryData<string> BadImages => ["empty", "garbage", "truncated png", "png signature only", "jpeg cut before its frame header", "text"];

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Undecodable_data_throws_an_image_exception(string kind)
    {
        var png = TestPng.Gradient(16, 16);
        byte[] data = kind switch
        {
            "empty" => [],
            "garbage" => Enumerable.Range(0, 512).Select(i => (byte)(i * 37 + 11)).ToArray(),
            "truncated png" => png[..(png.Length / 2)],
            "png signature only" => png[..8],
            "jpeg cut before its frame header" => Jpeg[..20],
            "text" => "this is not an image at all"u8.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Throws<MtmdImageException>(() => Projector.DecodeImage(data));

        // The context is still usable afterwards.
        using var bitmap = Projector.DecodeImage(png);
        Assert.Equal(16, bitmap.Width);
    }

    [Fact]
    public void A_prompt_with_one_marker_tokenizes_into_text_image_text()
    {
        using var bitmap = Projector.DecodeImage(TestPng.Gradient(40, 30));
        using var chunks = Projector.Tokenize($"Look at {Projector.Marker} and describe it", [bitmap]);

        Assert.Equal([MtmdChunkType.Text, MtmdChunkType.Image, MtmdChunkType.Text], chunks.Select(c => c.Type));
        var vocab = fixture.Model.Vocab;
        Assert.Equal(vocab.Tokenize("Look at ", addSpecial: true, parseSpecial: true).Select(t => t.Value), chunks[0].TextTokens.ToArray());
        Assert.Equal(vocab.Tokenize(" and describe it", addSpecial: false, parseSpecial: true).Select(t => t.Value), chunks[2].TextTokens.ToArray());
        Assert.Equal(chunks[0].TextTokens.Length, chunks[0].TokenCount);

        var image = chunks[1];
        Assert.Equal(TokensPerImage, image.TokenCount);
        Assert.Equal(TokensPerImage, image.PositionCount);
        Assert.True(image.TextTokens.IsEmpty);
        Assert.Equal(bitmap.Id, image.Id);
        Assert.False(Projector.UsesNonCausalDecode(image));
        Assert.Equal(chunks.Sum(c => c.TokenCount), chunks.TotalTokenCount);
        Assert.Equal(chunks.TotalTokenCount, chunks.TotalPositionCount);
    }

    [Fact]
    public void Two_markers_take_two_images_in_order()
    {
        using var first = Projector.DecodeImage(TestPng.Gradient(8, 8, 1));
        using var second = Projector.DecodeImage(TestPng.Gradient(8, 8, 2));
        using var chunks = Projector.Tokenize($"{Projector.Marker}{Projector.Marker} compare", [first, second]);

        var images = chunks.Where(c => c.Type == MtmdChunkType.Image).ToList();
        Assert.Equal([first.Id, second.Id], images.Select(c => c.Id));
        Assert.Equal(2 * TokensPerImage, images.Sum(c => c.TokenCount));
    }

    [Fact]
    public void The_marker_count_must_match_the_image_count()
    {
        using var bitmap = Projector.DecodeImage(TestPng.Gradient(8, 8));
        var none = Assert.Throws<MtmdException>(() => Projector.Tokenize($"one {Projector.Marker} here", []));
        Assert.Equal(1, none.Code);
        Assert.Contains("1 image markers", none.Message);
        var tooMany = Assert.Throws<MtmdException>(() => Projector.Tokenize($"one {Projector.Marker} here", [bitmap, bitmap]));
        Assert.Equal(1, tooMany.Code);
    }

    [Fact]
    public void A_prompt_without_markers_is_one_text_chunk()
    {
        using var chunks = Projector.Tokenize("just words", []);
        var chunk = Assert.Single(chunks);
        Assert.Equal(MtmdChunkType.Text, chunk.Type);
        Assert.Null(chunk.Id);
    }

    [Fact]
    public void Evaluating_every_chunk_fills_the_sequence_and_yields_logits()
    {
        using var context = fixture.CreateContext();
        using var bitmap = Projector.DecodeImage(Jpeg);
        using var chunks = Projector.Tokenize($"Here: {Projector.Marker} What is it?", [bitmap]);

        var nPast = 0;
        foreach (var chunk in chunks)
        {
            var next = Projector.EvaluateChunk(context, chunk, nPast, 0, batchSize: 64, logitsLast: chunk.Index == chunks.Count - 1);
            Assert.Equal(nPast + chunk.PositionCount, next);
            nPast = next;
        }

        Assert.Equal(chunks.TotalPositionCount, nPast);
        Assert.Equal(nPast - 1, context.SeqPosMax(0));
        var logits = context.GetLogits(-1);
        Assert.Equal(fixture.Model.Vocab.Count, logits.Length);
        Assert.All(logits.ToArray(), l => Assert.True(float.IsFinite(l)));
    }

    [Fact]
    public void The_same_image_gives_identical_logits()
    {
        var png = TestPng.Gradient(24, 24, 3);
        Assert.Equal(LogitsAfter(png), LogitsAfter(png.ToArray()));
    }

    [Fact]
    public void Different_images_give_different_logits()
    {
        var first = LogitsAfter(TestPng.Gradient(24, 24, 1));
        var second = LogitsAfter(TestPng.Create(24, 24, (x, y) => ((byte)((x ^ y) * 40), 200, (byte)(y * 9))));
        var difference = first.Zip(second, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(difference > 1e-2f, $"largest logit difference {difference}");
    }

    [Fact]
    public void An_image_split_into_small_batches_gives_the_same_logits()
    {
        var png = TestPng.Gradient(24, 24, 5);
        var whole = LogitsAfter(png, batchSize: 64);
        var split = LogitsAfter(png, batchSize: 5);
        var difference = whole.Zip(split, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(difference < 1e-3f, $"largest logit difference {difference}");
    }

    [Fact]
    public void Encoding_an_image_chunk_returns_one_row_per_image_token()
    {
        using var bitmap = Projector.DecodeImage(TestPng.Gradient(16, 16));
        using var chunks = Projector.Tokenize($"a {Projector.Marker}", [bitmap]);
        var image = chunks.Single(c => c.Type == MtmdChunkType.Image);

        var embeddings = Projector.EncodeChunk(image);
        Assert.Equal(TokensPerImage * fixture.Model.InputEmbeddingLength, embeddings.Length);
        Assert.Contains(embeddings, e => e != 0f);
        Assert.Equal(embeddings, Projector.EncodeChunk(image));
        Assert.Throws<ArgumentException>(() => Projector.EncodeChunk(chunks[0]));
    }

    [Fact]
    public void Chunks_cannot_be_evaluated_after_disposal_but_keep_their_values()
    {
        using var context = fixture.CreateContext();
        using var bitmap = Projector.DecodeImage(TestPng.Gradient(8, 8));
        var chunks = Projector.Tokenize($"x {Projector.Marker}", [bitmap]);
        var image = chunks[1];
        chunks.Dispose();

        Assert.Equal(TokensPerImage, image.TokenCount);
        Assert.Throws<ObjectDisposedException>(() => Projector.EvaluateChunk(context, image, 0, 0, 64, logitsLast: false));
    }

    [Fact]
    public void Evaluation_rejects_a_zero_batch_and_a_context_of_another_model()
    {
        using var context = fixture.CreateContext();
        using var chunks = Projector.Tokenize("words", []);
        Assert.Throws<ArgumentOutOfRangeException>(() => Projector.EvaluateChunk(context, chunks[0], 0, 0, 0, logitsLast: true));

        var otherPath = Path.Combine(Path.GetTempPath(), $"corral-other-{Guid.NewGuid():N}.gguf");
        TestModelWriter.WriteRandom(otherPath, seed: 2);
        try
        {
            using var other = LlamaModel.Load(otherPath);
            using var otherContext = LlamaContext.Create(other, new LlamaContextOptions { ContextSize = 64, Threads = 1 });
            Assert.Throws<ArgumentException>(() => Projector.EvaluateChunk(otherContext, chunks[0], 0, 0, 16, logitsLast: true));
        }
        finally
        {
            File.Delete(otherPath);
        }
    }

    /// <summary>Logits of the last prompt token after "Picture: [image] Caption:" in a fresh context.</summary>
    private float[] LogitsAfter(byte[] image, int batchSize = 64)
    {
        using var context = fixture.CreateContext();
        using var bitmap = Projector.DecodeImage(image);
        using var chunks = Projector.Tokenize($"Picture: {Projector.Marker} Caption:", [bitmap]);
        var nPast = 0;
        foreach (var chunk in chunks)
        {
            nPast = Projector.EvaluateChunk(context, chunk, nPast, 0, batchSize, logitsLast: chunk.Index == chunks.Count - 1);
        }

        return context.GetLogits(-1).ToArray();
    }
}
