using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// A llama.cpp sampler chain built fluently, e.g.
/// <c>new LlamaSamplerChain().AddPenalties(64, 1.1f, 0, 0).AddTopK(40).AddTopP(0.9f).AddTemperature(0.8f).AddDist(seed)</c>.
/// The chain should end with a selecting sampler (greedy, dist or mirostat). One chain per sequence;
/// not thread-safe.
/// </summary>
public sealed unsafe class LlamaSamplerChain : IDisposable
{
    /// <param name="noPerf">Skip timing counters (they cost a clock read per sample).</param>
    public LlamaSamplerChain(bool noPerf = true)
    {
        LlamaBackend.EnsureInitialized();
        var p = LlamaNative.llama_sampler_chain_default_params();
        p.no_perf = noPerf;
        var chain = LlamaNative.llama_sampler_chain_init(p);
        if (chain == 0)
        {
            throw new LlamaException("llama_sampler_chain_init failed");
        }

        Handle = new SafeLlamaSamplerHandle(chain);
    }

    public SafeLlamaSamplerHandle Handle { get; }

    /// <summary>Number of samplers in the chain.</summary>
    public int Count => LlamaNative.llama_sampler_chain_n(Handle);

    /// <summary>The seed of the last seeded sampler (dist, mirostat), or <see cref="LlamaNative.DefaultSeed"/>.</summary>
    public uint Seed => LlamaNative.llama_sampler_get_seed(Handle);

    /// <summary>Picks the most likely token.</summary>
    public LlamaSamplerChain AddGreedy() => Add(LlamaNative.llama_sampler_init_greedy(), "greedy");

    /// <summary>Samples from the distribution; <see cref="LlamaNative.DefaultSeed"/> picks a random seed.</summary>
    public LlamaSamplerChain AddDist(uint seed) => Add(LlamaNative.llama_sampler_init_dist(seed), "dist");

    /// <summary>Keeps the k most likely tokens; k &lt;= 0 is a no-op.</summary>
    public LlamaSamplerChain AddTopK(int k) => Add(LlamaNative.llama_sampler_init_top_k(k), "top_k");

    public LlamaSamplerChain AddTopP(float p, int minKeep = 1) =>
        Add(LlamaNative.llama_sampler_init_top_p(p, (nuint)Math.Max(0, minKeep)), "top_p");

    public LlamaSamplerChain AddMinP(float p, int minKeep = 1) =>
        Add(LlamaNative.llama_sampler_init_min_p(p, (nuint)Math.Max(0, minKeep)), "min_p");

    public LlamaSamplerChain AddTypical(float p, int minKeep = 1) =>
        Add(LlamaNative.llama_sampler_init_typical(p, (nuint)Math.Max(0, minKeep)), "typical");

    /// <summary>Divides logits by t; t &lt;= 0 keeps only the most likely token.</summary>
    public LlamaSamplerChain AddTemperature(float t) => Add(LlamaNative.llama_sampler_init_temp(t), "temp");

    /// <summary>Dynamic temperature in [t - delta, t + delta].</summary>
    public LlamaSamplerChain AddTemperatureExt(float t, float delta, float exponent) =>
        Add(LlamaNative.llama_sampler_init_temp_ext(t, delta, exponent), "temp_ext");

    /// <summary>Repeat/frequency/presence penalties over the last <paramref name="lastN"/> accepted tokens.</summary>
    /// <param name="lastN">How many recently accepted tokens the penalties look at.</param>
    /// <param name="repeat">repeat_penalty; 1 disables it.</param>
    /// <param name="frequency">frequency_penalty; 0 disables it.</param>
    /// <param name="presence">presence_penalty; 0 disables it.</param>
    /// <param name="vocabCount">n_vocab; only llama.cpp's experimental backend sampling reads it.</param>
    public LlamaSamplerChain AddPenalties(int lastN, float repeat, float frequency, float presence, int vocabCount = 0) =>
        Add(LlamaNative.llama_sampler_init_penalties(vocabCount, lastN, repeat, frequency, presence), "penalties");

    /// <summary>
    /// XTC ("exclude top choices"): with chance <paramref name="probability"/> per token, removes every candidate of
    /// probability at least <paramref name="threshold"/> except the least likely of them; a threshold over 0.5 never
    /// finds two such candidates, so it is off. <paramref name="seed"/> drives that chance.
    /// </summary>
    public LlamaSamplerChain AddXtc(float probability, float threshold, uint seed, int minKeep = 1) =>
        Add(LlamaNative.llama_sampler_init_xtc(probability, threshold, (nuint)Math.Max(0, minKeep), seed), "xtc");

    /// <summary>Top-nσ: masks candidates whose logit is more than <paramref name="n"/> standard deviations below the top one; n &lt;= 0 is a no-op.</summary>
    public LlamaSamplerChain AddTopNSigma(float n) => Add(LlamaNative.llama_sampler_init_top_n_sigma(n), "top_n_sigma");

    /// <summary>
    /// DRY: a candidate that would extend a sequence already seen in the last <paramref name="penaltyLastN"/> accepted
    /// tokens, once the repeat is longer than <paramref name="allowedLength"/>, loses
    /// <c>multiplier · base^(length − allowedLength)</c> from its logit. A repeat never reaches across a sequence
    /// breaker. llama.cpp reads only the first 40 bytes of each breaker and walks the whole vocabulary once per
    /// breaker here, so callers bound their number and length.
    /// </summary>
    /// <exception cref="ArgumentException">A breaker holds a NUL character (C would silently cut it there).</exception>
    public LlamaSamplerChain AddDry(LlamaVocab vocab, float multiplier, float @base, int allowedLength, int penaltyLastN, IReadOnlyList<string> sequenceBreakers) =>
        Add(CreateDry(vocab, multiplier, @base, allowedLength, penaltyLastN, sequenceBreakers), "dry");

    /// <summary>
    /// Adds a fresh copy of <paramref name="prototype"/>: the same settings and sequence-breaker table, none of its
    /// history, without walking the vocabulary again.
    /// </summary>
    public LlamaSamplerChain AddDry(LlamaDrySampler prototype)
    {
        ArgumentNullException.ThrowIfNull(prototype);
        return Add(prototype.CreateCopy(), "dry");
    }

    /// <summary>A DRY sampler the caller owns (<see cref="AddDry(LlamaVocab, float, float, int, int, IReadOnlyList{string})"/>).</summary>
    /// <exception cref="ArgumentException">A breaker holds a NUL character.</exception>
    internal static nint CreateDry(LlamaVocab vocab, float multiplier, float @base, int allowedLength, int penaltyLastN, IReadOnlyList<string> sequenceBreakers)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(sequenceBreakers);

        // One buffer of NUL-terminated UTF-8 strings and a pointer per string; llama.cpp copies them during the call.
        var offsets = new int[sequenceBreakers.Count];
        var size = 0;
        for (var i = 0; i < sequenceBreakers.Count; i++)
        {
            var breaker = sequenceBreakers[i] ?? throw new ArgumentException("a sequence breaker is null", nameof(sequenceBreakers));
            if (breaker.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("a sequence breaker holds a NUL character", nameof(sequenceBreakers));
            }

            offsets[i] = size;
            size += System.Text.Encoding.UTF8.GetByteCount(breaker) + 1;
        }

        var bytes = new byte[Math.Max(size, 1)];
        for (var i = 0; i < sequenceBreakers.Count; i++)
        {
            System.Text.Encoding.UTF8.GetBytes(sequenceBreakers[i], bytes.AsSpan(offsets[i])); // the NUL is the zeroed byte after it
        }

        var pointers = new nint[Math.Max(sequenceBreakers.Count, 1)];
        fixed (byte* text = bytes)
        fixed (nint* table = pointers)
        {
            for (var i = 0; i < sequenceBreakers.Count; i++)
            {
                table[i] = (nint)(text + offsets[i]);
            }

            return LlamaNative.llama_sampler_init_dry(vocab.NativePointer, multiplier, @base, allowedLength, penaltyLastN,
                (byte**)table, (nuint)sequenceBreakers.Count);
        }
    }

    public LlamaSamplerChain AddMirostat(int vocabCount, uint seed, float tau, float eta, int m = 100) =>
        Add(LlamaNative.llama_sampler_init_mirostat(vocabCount, seed, tau, eta, m), "mirostat");

    public LlamaSamplerChain AddMirostatV2(uint seed, float tau, float eta) =>
        Add(LlamaNative.llama_sampler_init_mirostat_v2(seed, tau, eta), "mirostat_v2");

    /// <summary>Constrains output to a GBNF grammar.</summary>
    /// <exception cref="LlamaGrammarException">The grammar does not parse or has no <paramref name="root"/> rule.</exception>
    public LlamaSamplerChain AddGrammar(LlamaVocab vocab, string gbnf, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(gbnf);
        ArgumentException.ThrowIfNullOrEmpty(root);
        using var capture = NativeLogRouter.BeginCapture();
        var sampler = LlamaNative.llama_sampler_init_grammar(vocab.NativePointer, gbnf, root);
        if (sampler == 0)
        {
            throw new LlamaGrammarException(LlamaException.WithNativeReason("Invalid GBNF grammar", capture.Text));
        }

        return Add(sampler, "grammar");
    }

    /// <summary>Adds fixed biases to token logits.</summary>
    public LlamaSamplerChain AddLogitBias(int vocabCount, ReadOnlySpan<LlamaLogitBias> biases)
    {
        var native = new NativeLogitBias[biases.Length];
        for (var i = 0; i < biases.Length; i++)
        {
            native[i] = new NativeLogitBias { token = biases[i].Token.Value, bias = biases[i].Bias };
        }

        fixed (NativeLogitBias* p = native)
        {
            return Add(LlamaNative.llama_sampler_init_logit_bias(vocabCount, native.Length, p), "logit_bias");
        }
    }

    /// <summary>
    /// Samples from output <paramref name="batchIndex"/> of the context's last decode and accepts the
    /// token into the chain's state (penalties, grammar, mirostat).
    /// </summary>
    public LlamaToken Sample(LlamaContext context, int batchIndex)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new LlamaToken(LlamaNative.llama_sampler_sample(Handle, context.Handle, batchIndex));
    }

    /// <summary>
    /// Runs the chain's transforms over every token of <paramref name="logits"/> (candidates in token id order) and
    /// writes the resulting logits back, without selecting or accepting a token: for chains of logit transforms only
    /// (bias, penalties), e.g. to check another implementation against llama.cpp's.
    /// </summary>
    public void ApplyToLogits(Span<float> logits)
    {
        var candidates = new NativeTokenData[logits.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new NativeTokenData { id = i, logit = logits[i] };
        }

        fixed (NativeTokenData* data = candidates)
        {
            var array = new NativeTokenDataArray { data = data, size = (nuint)candidates.Length, selected = -1 };
            LlamaNative.llama_sampler_apply(Handle, &array);
            for (var i = 0; i < (int)array.size; i++)
            {
                logits[data[i].id] = data[i].logit;
            }
        }
    }

    /// <summary>Feeds a token into the chain's state without sampling (e.g. prompt tokens for penalties).</summary>
    public void Accept(LlamaToken token) => LlamaNative.llama_sampler_accept(Handle, token.Value);

    /// <summary>Forgets accepted tokens (penalty history, grammar position, mirostat mu).</summary>
    public void Reset() => LlamaNative.llama_sampler_reset(Handle);

    public LlamaSamplerPerformance GetPerformance()
    {
        var d = LlamaNative.llama_perf_sampler(Handle);
        return new LlamaSamplerPerformance(d.t_sample_ms, d.n_sample);
    }

    public void Dispose() => Handle.Dispose();

    private LlamaSamplerChain Add(nint sampler, string name)
    {
        if (sampler == 0)
        {
            throw new LlamaException($"llama_sampler_init_{name} failed");
        }

        // The chain takes ownership: the sampler is freed with the chain.
        LlamaNative.llama_sampler_chain_add(Handle, sampler);
        return this;
    }
}
