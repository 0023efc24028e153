using System.Buffers.Binary;
using Corral.Models.Gguf;
using Corral.TestModels;

namespace Corral.Testing;

/// <summary>
/// An independent reference for the generated reranker (<see cref="GeneratedModels.Reranker"/>): the
/// BERT cross-encoder's forward pass in plain float math, straight from the GGUF's F32 tensors, without
/// llama.cpp. The pair is [CLS] query [SEP] document (llama.cpp's layout for a WordPiece vocabulary:
/// add_bos and add_sep on, no EOS); token types are all 0 (llama.cpp feeds "sentence A" only); GELU is
/// the tanh form ggml uses. The score is the classification head's raw logit:
/// <c>cls.output · tanh(cls · h[CLS] + b) + b</c>.
/// </summary>
/// <remarks>
/// The tokenizer here knows whole vocabulary words only ("▁word" pieces, lower case, single spaces):
/// it throws on anything else rather than guess WordPiece splits, so pick texts from the vocabulary.
/// Agreement with llama.cpp is not bit for bit: ggml's CPU GELU reads an fp16 table, and float sums
/// run in another order; on the generated reranker the logits differ by up to about 5e-4.
/// </remarks>
public sealed class RerankReference
{
    private readonly Dictionary<string, float[]> _tensors;
    private readonly Dictionary<string, int> _wordIds;
    private readonly int _embedding;
    private readonly int _heads;
    private readonly int _blocks;
    private readonly int _feedForward;
    private readonly float _epsilon;
    private readonly int _cls;
    private readonly int _sep;

    public RerankReference(string ggufPath)
    {
        var file = GgufReader.Read(ggufPath);
        _embedding = (int)file.GetUInt32("bert.embedding_length");
        _heads = (int)file.GetUInt32("bert.attention.head_count");
        _blocks = (int)file.GetUInt32("bert.block_count");
        _feedForward = (int)file.GetUInt32("bert.feed_forward_length");
        _epsilon = file.GetFloat32("bert.attention.layer_norm_epsilon");
        _cls = (int)file.GetUInt32("tokenizer.ggml.cls_token_id");
        _sep = (int)file.GetUInt32("tokenizer.ggml.seperator_token_id");
        var tokens = file.GetStrings("tokenizer.ggml.tokens");
        _wordIds = [];
        for (var id = 0; id < tokens.Count; id++)
        {
            if (tokens[id].StartsWith(WordPieceVocab.WordStart))
            {
                _wordIds.TryAdd(tokens[id][1..], id);
            }
        }

        _tensors = [];
        using var stream = File.OpenRead(ggufPath);
        foreach (var tensor in file.Tensors)
        {
            if (tensor.Type != GgmlType.F32)
            {
                throw new NotSupportedException($"{tensor.Name} is {tensor.Type}: the reference reads F32 tensors only");
            }

            var bytes = new byte[tensor.ElementCount * sizeof(float)];
            stream.Position = file.GetTensorFileOffset(tensor);
            stream.ReadExactly(bytes);
            var values = new float[tensor.ElementCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }

            _tensors[tensor.Name] = values;
        }
    }

    /// <summary>The pair's token ids as the reference feeds them: [CLS] query [SEP] document.</summary>
    public int[] PairTokens(string query, string document) => [_cls, .. Words(query), _sep, .. Words(document)];

    /// <summary>The relevance logit for one (query, document) pair.</summary>
    public float Score(string query, string document)
    {
        var tokens = PairTokens(query, document);
        var n = tokens.Length;
        var e = _embedding;

        // Embeddings: token + token type 0 + position, then layer norm.
        var x = new float[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new float[e];
            for (var i = 0; i < e; i++)
            {
                x[t][i] = Row("token_embd.weight", tokens[t], e)[i] + Row("token_types.weight", 0, e)[i] + Row("position_embd.weight", t, e)[i];
            }

            x[t] = LayerNorm(x[t], "token_embd_norm");
        }

        var headSize = e / _heads;
        var scale = 1f / MathF.Sqrt(headSize);
        for (var layer = 0; layer < _blocks; layer++)
        {
            var p = $"blk.{layer}.";
            var q = x.Select(h => Linear(h, p + "attn_q", e)).ToArray();
            var k = x.Select(h => Linear(h, p + "attn_k", e)).ToArray();
            var v = x.Select(h => Linear(h, p + "attn_v", e)).ToArray();
            var next = new float[n][];
            for (var t = 0; t < n; t++)
            {
                // Bidirectional self-attention over the whole pair, head by head.
                var attended = new float[e];
                for (var head = 0; head < _heads; head++)
                {
                    var from = head * headSize;
                    var weights = new float[n];
                    for (var s = 0; s < n; s++)
                    {
                        var dot = 0f;
                        for (var i = 0; i < headSize; i++)
                        {
                            dot += q[t][from + i] * k[s][from + i];
                        }

                        weights[s] = dot * scale;
                    }

                    Softmax(weights);
                    for (var s = 0; s < n; s++)
                    {
                        for (var i = 0; i < headSize; i++)
                        {
                            attended[from + i] += weights[s] * v[s][from + i];
                        }
                    }
                }

                // Post-norm BERT: residual, norm; feed-forward (GELU), residual, norm.
                var h = LayerNorm(Add(Linear(attended, p + "attn_output", e), x[t]), p + "attn_output_norm");
                var up = Linear(h, p + "ffn_up", _feedForward).Select(Gelu).ToArray();
                next[t] = LayerNorm(Add(Linear(up, p + "ffn_down", e), h), p + "layer_output_norm");
            }

            x = next;
        }

        // Rank pooling: the [CLS] token through the classification head.
        var pooled = Linear(x[0], "cls", e).Select(MathF.Tanh).ToArray();
        return Linear(pooled, "cls.output", 1)[0];
    }

    private IEnumerable<int> Words(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word =>
            _wordIds.TryGetValue(word, out var id) ? id : throw new ArgumentException($"'{word}' is not a whole word of the vocabulary", nameof(text)));

    private ReadOnlySpan<float> Row(string tensor, int row, int width) => _tensors[tensor].AsSpan(row * width, width);

    /// <summary>ggml's mul_mat layout: weight {in, out} holds one row of <c>in</c> values per output.</summary>
    private float[] Linear(float[] input, string name, int outputs)
    {
        var weight = _tensors[name + ".weight"];
        var bias = _tensors[name + ".bias"];
        var output = new float[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var sum = 0f;
            for (var i = 0; i < input.Length; i++)
            {
                sum += weight[o * input.Length + i] * input[i];
            }

            output[o] = sum + bias[o];
        }

        return output;
    }

    private float[] LayerNorm(float[] input, string name)
    {
        var weight = _tensors[name + ".weight"];
        var bias = _tensors[name + ".bias"];
        var mean = input.Average();
        var variance = input.Select(value => (value - mean) * (value - mean)).Average();
        var inverse = 1f / MathF.Sqrt(variance + _epsilon);
        return [.. input.Select((value, i) => ((value - mean) * inverse * weight[i]) + bias[i])];
    }

    private static float[] Add(float[] a, float[] b) => [.. a.Select((value, i) => value + b[i])];

    private static void Softmax(float[] values)
    {
        var max = values.Max();
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    private static float Gelu(float value) =>
        0.5f * value * (1f + MathF.Tanh(MathF.Sqrt(2f / MathF.PI) * (value + (0.044715f * value * value * value))));
}
