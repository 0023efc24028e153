using System.Text;

namespace Corral.Llama.Tests;

/// <summary>
/// Writes a minimal llama-architecture GGUF (one layer, F32 random weights, a 32-token SPM vocab) so
/// the decode path can be exercised here. The project's real model generator lives in
/// tools/Corral.TestModels; this stays deliberately tiny and local to the binding tests.
/// </summary>
internal static class TinyLlamaGguf
{
    public const int VocabSize = 32;
    public const int EmbeddingLength = 64;
    public const int ContextLength = 256;
    private const int FeedForward = 128;
    private const int Heads = 4;
    private const int Alignment = 32;

    public static void Write(string path, int seed = 1)
    {
        var random = new Random(seed);
        var tensors = new List<(string Name, long[] Dims)>
        {
            ("token_embd.weight", [EmbeddingLength, VocabSize]),
            ("output_norm.weight", [EmbeddingLength]),
            ("output.weight", [EmbeddingLength, VocabSize]),
            ("blk.0.attn_norm.weight", [EmbeddingLength]),
            ("blk.0.attn_q.weight", [EmbeddingLength, EmbeddingLength]),
            ("blk.0.attn_k.weight", [EmbeddingLength, EmbeddingLength]),
            ("blk.0.attn_v.weight", [EmbeddingLength, EmbeddingLength]),
            ("blk.0.attn_output.weight", [EmbeddingLength, EmbeddingLength]),
            ("blk.0.ffn_norm.weight", [EmbeddingLength]),
            ("blk.0.ffn_gate.weight", [EmbeddingLength, FeedForward]),
            ("blk.0.ffn_up.weight", [EmbeddingLength, FeedForward]),
            ("blk.0.ffn_down.weight", [FeedForward, EmbeddingLength]),
        };

        var tokens = new string[VocabSize];
        tokens[0] = "<unk>";
        tokens[1] = "<s>";
        tokens[2] = "</s>";
        for (var i = 3; i < VocabSize; i++)
        {
            tokens[i] = ((char)('a' + i - 3)).ToString();
        }

        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)tensors.Count);
        w.Write(18UL);
        String(w, "general.architecture", "llama");
        U32(w, "llama.context_length", ContextLength);
        U32(w, "llama.embedding_length", EmbeddingLength);
        U32(w, "llama.block_count", 1);
        U32(w, "llama.feed_forward_length", FeedForward);
        U32(w, "llama.attention.head_count", Heads);
        U32(w, "llama.attention.head_count_kv", Heads);
        Key(w, "llama.attention.layer_norm_rms_epsilon");
        w.Write(6u);
        w.Write(1e-5f);
        U32(w, "general.file_type", 0);
        String(w, "tokenizer.ggml.model", "llama");
        Key(w, "tokenizer.ggml.tokens");
        w.Write(9u);
        w.Write(8u);
        w.Write((ulong)VocabSize);
        foreach (var token in tokens)
        {
            Str(w, token);
        }

        Key(w, "tokenizer.ggml.scores");
        w.Write(9u);
        w.Write(6u);
        w.Write((ulong)VocabSize);
        for (var i = 0; i < VocabSize; i++)
        {
            w.Write(-(float)i);
        }

        Key(w, "tokenizer.ggml.token_type");
        w.Write(9u);
        w.Write(5u);
        w.Write((ulong)VocabSize);
        for (var i = 0; i < VocabSize; i++)
        {
            w.Write(i == 0 ? 2 : i < 3 ? 3 : 1); // unknown, control, normal
        }

        U32(w, "tokenizer.ggml.bos_token_id", 1);
        U32(w, "tokenizer.ggml.eos_token_id", 2);
        U32(w, "tokenizer.ggml.unknown_token_id", 0);
        Key(w, "tokenizer.ggml.add_bos_token");
        w.Write(7u);
        w.Write((byte)1);
        String(w, "tokenizer.chat_template", "{% for m in messages %}{{ m['content'] }}{% endfor %}");

        long offset = 0;
        foreach (var (name, dims) in tensors)
        {
            Str(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims)
            {
                w.Write((ulong)d);
            }

            w.Write(0u); // F32
            w.Write((ulong)offset);
            offset = Align(offset + dims.Aggregate(1L, (a, b) => a * b) * 4);
        }

        Pad(w, Align(stream.Position) - stream.Position);
        var dataStart = stream.Position;
        foreach (var (name, dims) in tensors)
        {
            var count = dims.Aggregate(1L, (a, b) => a * b);
            var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            for (long i = 0; i < count; i++)
            {
                w.Write(isNorm ? 1.0f : (float)(random.NextDouble() * 2 - 1) * 0.5f);
            }

            Pad(w, Align(stream.Position - dataStart) - (stream.Position - dataStart));
        }
    }

    private static long Align(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w, long count)
    {
        for (var i = 0; i < count; i++)
        {
            w.Write((byte)0);
        }
    }

    private static void Str(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void Key(BinaryWriter w, string key) => Str(w, key);

    private static void U32(BinaryWriter w, string key, uint value)
    {
        Key(w, key);
        w.Write(4u);
        w.Write(value);
    }

    private static void String(BinaryWriter w, string key, string value)
    {
        Key(w, key);
        w.Write(8u);
        Str(w, value);
    }
}
