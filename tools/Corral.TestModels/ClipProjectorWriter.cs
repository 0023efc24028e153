using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Writes a tiny mmproj GGUF of llama.cpp's "mlp" projector type (LLaVA-1.5 layout) with
/// deterministic random weights: patch embedding (conv), position embeddings, pre-norm, ViT blocks
/// (separate q/k/v with biases, layer norms, GELU FFN) and the mm.0 → GELU → mm.2 projector.
/// Key and tensor names are those tools/mtmd/clip.cpp reads; dimensions are in GGUF order (ne0 first).
/// </summary>
internal static class ClipProjectorWriter
{
    public static void Write(string path, ClipProjectorShape shape, ulong seed)
    {
        if (shape.ImageSize % shape.PatchSize != 0 || shape.EmbeddingLength % shape.HeadCount != 0)
        {
            throw new ArgumentException("The image must divide into patches and the width into heads.", nameof(shape));
        }

        if (shape.FeedForwardLength == shape.EmbeddingLength)
        {
            // clip.cpp guesses swapped up/down weights of old llava files from ffn_down's input width.
            throw new ArgumentException("The FFN width must differ from the ViT width.", nameof(shape));
        }

        var w = new GgufWriter();
        w.AddString(GgufKeys.Architecture, "clip");
        w.AddString(GgufKeys.Name, "corral-test-vision-projector");
        w.AddUInt32(GgufKeys.FileType, 0);
        w.AddString("clip.projector_type", "mlp");
        w.AddBool("clip.has_vision_encoder", true);
        w.AddBool("clip.has_audio_encoder", false);
        w.AddBool("clip.use_gelu", true);
        w.AddUInt32("clip.vision.image_size", (uint)shape.ImageSize);
        w.AddUInt32("clip.vision.patch_size", (uint)shape.PatchSize);
        w.AddUInt32("clip.vision.embedding_length", (uint)shape.EmbeddingLength);
        w.AddUInt32("clip.vision.feed_forward_length", (uint)shape.FeedForwardLength);
        w.AddUInt32("clip.vision.projection_dim", (uint)shape.ProjectionLength);
        w.AddUInt32("clip.vision.attention.head_count", (uint)shape.HeadCount);
        w.AddFloat32("clip.vision.attention.layer_norm_epsilon", 1e-5f);
        w.AddUInt32("clip.vision.block_count", (uint)shape.BlockCount);
        w.AddArray("clip.vision.image_mean", GgufArray.FromFloat32([0.5f, 0.5f, 0.5f]));
        w.AddArray("clip.vision.image_std", GgufArray.FromFloat32([0.5f, 0.5f, 0.5f]));

        long e = shape.EmbeddingLength;
        long ff = shape.FeedForwardLength;
        long p = shape.PatchSize;
        long proj = shape.ProjectionLength;
        void Random(string name, float scale, params long[] dims) =>
            w.AddTensor(name, dims, GgmlType.F32,
                s => TensorData.Random(s, GgmlType.F32, dims.Aggregate(1L, (a, b) => a * b), SplitMix64.Derive(seed, name), scale));
        void Constant(string name, float value, long length) =>
            w.AddTensor(name, [length], GgmlType.F32, s => TensorData.Constant(s, GgmlType.F32, length, value));

        // Conv kernel [KW, KH, C_in, C_out]; pixels arrive normalised to [-1, 1].
        Random("v.patch_embd.weight", 1f / MathF.Sqrt(p * p * 3), p, p, 3, e);
        Random("v.patch_embd.bias", 0.02f, e);
        Random("v.position_embd.weight", 0.1f, e, shape.TokensPerImage);
        Constant("v.pre_ln.weight", 1f, e);
        Constant("v.pre_ln.bias", 0f, e);
        float scale = 1f / MathF.Sqrt(e);
        for (int i = 0; i < shape.BlockCount; i++)
        {
            foreach (string part in new[] { "attn_q", "attn_k", "attn_v", "attn_out" })
            {
                Random($"v.blk.{i}.{part}.weight", scale, e, e);
                Random($"v.blk.{i}.{part}.bias", 0.02f, e);
            }

            Constant($"v.blk.{i}.ln1.weight", 1f, e);
            Constant($"v.blk.{i}.ln1.bias", 0f, e);
            Constant($"v.blk.{i}.ln2.weight", 1f, e);
            Constant($"v.blk.{i}.ln2.bias", 0f, e);
            Random($"v.blk.{i}.ffn_up.weight", scale, e, ff);
            Random($"v.blk.{i}.ffn_up.bias", 0.02f, ff);
            Random($"v.blk.{i}.ffn_down.weight", 1f / MathF.Sqrt(ff), ff, e);
            Random($"v.blk.{i}.ffn_down.bias", 0.02f, e);
        }

        // Projector: [in, out] matrices. Outputs of a similar size to the text model's token embeddings
        // (uniform in [-1, 1]), so an image visibly steers the logits.
        Random("mm.0.weight", 1f / MathF.Sqrt(e), e, proj);
        Random("mm.0.bias", 0.02f, proj);
        Random("mm.2.weight", 2f / MathF.Sqrt(proj), proj, proj);
        Random("mm.2.bias", 0.02f, proj);

        w.WriteTo(path);
    }
}
