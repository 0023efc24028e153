using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Corral.Llama;
using Corral.Llama.Multimodal;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Admission;

/// <summary>
/// Images in completions. The prompt's <c>[img-N]</c> tags become the projector's marker and libmtmd splits
/// the prompt into text and image chunks. Each image position is held in the prompt (and so in
/// <see cref="Slots.Slot.Cached"/>) as a pseudo token: a negative id derived from a hash of the image bytes and the
/// position within the image, never equal to a real token. The prefix cache therefore reuses an image's KV
/// only for the very same image, and never matches a different one. During prefill an image is evaluated
/// with its own llama_decode calls (<see cref="MtmdContext.EvaluateChunk"/>) on the engine thread, text
/// goes into the shared batch as before.
/// </summary>
internal sealed partial class MediaPrompts(LlamaModel model, EngineOptions options, MtmdContext? projector) : IDisposable
{
    /// <summary>The projector that evaluates image chunks; null for a text-only model.</summary>
    public MtmdContext? Projector { get; } = projector;

    [GeneratedRegex(@"\[img-(\d+)\]")]
    private static partial Regex ImageTag();

    /// <summary>Image token counts by SHA-256 of the encoded bytes: a conversation sends the same images every turn.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _imageTokenCounts = new(StringComparer.Ordinal);

    /// <summary>
    /// How many context positions each image takes with this projector (dynamic-resolution projectors give
    /// different counts for different sizes), for the server's fitting of a conversation into num_ctx.
    /// Thread-safe; runs on the request thread.
    /// </summary>
    /// <exception cref="InvalidCompletionException">The model takes no images, or an image cannot be decoded.</exception>
    public int[] CountImageTokens(IReadOnlyList<byte[]> images)
    {
        var projector = Projector ?? throw new InvalidCompletionException("this model is missing data required for image input");
        var counts = new int[images.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            var key = Convert.ToHexString(SHA256.HashData(images[i]));
            if (_imageTokenCounts.TryGetValue(key, out var known))
            {
                counts[i] = known;
                continue;
            }

            try
            {
                using var bitmap = projector.DecodeImage(images[i]);
                using var chunks = projector.Tokenize(projector.Marker, [bitmap], addSpecial: false, parseSpecial: true);
                counts[i] = chunks.Where(c => c.Type != MtmdChunkType.Text).Sum(c => c.PositionCount);
            }
            catch (MtmdException ex)
            {
                throw new InvalidCompletionException($"invalid image input: image {i + 1}: {ex.Message}");
            }

            if (_imageTokenCounts.Count >= 1024)
            {
                _imageTokenCounts.Clear(); // bounded; rebuilt by the conversations still going
            }

            _imageTokenCounts[key] = counts[i];
        }

        return counts;
    }

    /// <summary>Tokenizes a prompt with images into text tokens and pseudo tokens; refuses what cannot run.</summary>
    /// <exception cref="InvalidCompletionException">The request cannot be served as sent (a 400).</exception>
    public LlamaToken[] BuildPrompt(CompletionRequest request, Func<CompletionRequest, LlamaToken[]> textPrompt, out MtmdChunks? chunks, out Dictionary<int, MediaSpan>? spans)
    {
        chunks = null;
        spans = null;
        var images = request.Images!;
        if (!ImageTag().IsMatch(request.Prompt))
        {
            return textPrompt(request); // Ollama ignores images the prompt does not refer to
        }

        var projector = Projector ?? throw new InvalidCompletionException("this model is missing data required for image input");
        if (!projector.SupportsVision)
        {
            throw new InvalidCompletionException("this model's projector does not take images");
        }

        if (projector.UsesMRope)
        {
            throw new InvalidCompletionException("images are not supported for this model: its projector uses M-RoPE positions, which corral does not support yet");
        }

        if (request.Tokens is not null)
        {
            throw new InvalidCompletionException("images cannot be combined with a prompt given as tokens");
        }

        if (request.Prompt.Contains(projector.Marker, StringComparison.Ordinal))
        {
            throw new InvalidCompletionException($"the prompt contains the text \"{projector.Marker}\", which this model reserves for images");
        }

        var order = new List<int>();
        var text = ImageTag().Replace(request.Prompt, match =>
        {
            var index = int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
            if (index < 0 || index >= images.Count)
            {
                throw new InvalidCompletionException($"invalid image index: {match.Groups[1].Value}");
            }

            order.Add(index);
            return projector.Marker;
        });

        var bitmaps = new List<MtmdBitmap>(order.Count);
        try
        {
            foreach (var index in order)
            {
                try
                {
                    bitmaps.Add(projector.DecodeImage(images[index]));
                }
                catch (MtmdImageException ex)
                {
                    throw new InvalidCompletionException($"invalid image input: image {index + 1}: {ex.Message}");
                }
            }

            var hasPrefix = request.PrefixTokens is { Length: > 0 };
            try
            {
                chunks = projector.Tokenize(text, bitmaps, addSpecial: !hasPrefix, parseSpecial: true);
            }
            catch (MtmdException ex)
            {
                throw new InvalidCompletionException($"invalid image input: {ex.Message}");
            }
        }
        finally
        {
            foreach (var bitmap in bitmaps)
            {
                bitmap.Dispose();
            }
        }

        try
        {
            return Flatten(request, chunks, projector, out spans);
        }
        catch
        {
            chunks.Dispose();
            chunks = null;
            throw;
        }
    }

    private LlamaToken[] Flatten(CompletionRequest request, MtmdChunks chunks, MtmdContext projector, out Dictionary<int, MediaSpan> spans)
    {
        var prefix = request.PrefixTokens ?? [];
        var tokens = new LlamaToken[prefix.Length + chunks.TotalTokenCount];
        var at = 0;
        var vocabSize = model.Vocab.Count;
        foreach (var t in prefix)
        {
            if (t < 0 || t >= vocabSize)
            {
                throw new InvalidCompletionException($"invalid token id {t} in context");
            }

            tokens[at++] = new LlamaToken(t);
        }

        spans = [];
        foreach (var chunk in chunks)
        {
            if (chunk.Type == MtmdChunkType.Text)
            {
                foreach (var t in chunk.TextTokens)
                {
                    tokens[at++] = new LlamaToken(t);
                }

                continue;
            }

            if (chunk.Type != MtmdChunkType.Image)
            {
                throw new InvalidCompletionException("only image input is supported");
            }

            if (chunk.PositionCount != chunk.TokenCount)
            {
                throw new InvalidCompletionException("images are not supported for this model: its image positions differ from its image tokens");
            }

            if (projector.UsesNonCausalDecode(chunk) && chunk.TokenCount > options.BatchSize)
            {
                throw new InvalidCompletionException($"an image needs {chunk.TokenCount} tokens in one batch, more than num_batch ({options.BatchSize})");
            }

            spans[at] = new MediaSpan(at, chunk.TokenCount, chunk);
            FillPseudoTokens(chunk.Id, tokens.AsSpan(at, chunk.TokenCount));
            at += chunk.TokenCount;
        }

        if (chunks.Count > 0 && chunks[^1].Type == MtmdChunkType.Image)
        {
            // An image chunk gives no logits, and the first token is sampled from the last prompt position.
            throw new InvalidCompletionException("a prompt cannot end with an image: put text after it");
        }

        var limit = options.ContextPerSlot;
        if (tokens.Length >= limit)
        {
            // Truncating could cut through an image; refuse instead (Ollama's message, which clients match on).
            throw new InvalidCompletionException(CompletionAdmission.InputTooLong);
        }

        return tokens;
    }

    /// <summary>
    /// Negative ids unique to this image and position: SHA-256 of the image (its id) mixed with the offset.
    /// Real token ids are never negative, so a pseudo token never matches text.
    /// </summary>
    private static void FillPseudoTokens(string? imageId, Span<LlamaToken> destination)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(imageId ?? Guid.NewGuid().ToString()));
        var seed = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        for (var i = 0; i < destination.Length; i++)
        {
            // splitmix64 of (seed + i): well-spread 31-bit values per position.
            var z = seed + ((ulong)i * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            destination[i] = new LlamaToken(-1 - (int)(z & 0x7FFFFFFE));
        }
    }

    public void Dispose() => Projector?.Dispose();
}
