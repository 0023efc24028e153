using System.Text;
using System.Text.Json;
using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// The main proof: random-weight sampling under each schema's grammar always yields JSON that validates
/// against the schema, both with the grammar first in a chain and with <see cref="GrammarConstrainedSampler"/>.
/// </summary>
public sealed class GrammarSamplingTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const int Seeds = 100;
    private const int TokenCap = 400;

    // Invalid UTF-8 must fail the test, not turn into U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Grammar_first_chain_output_validates_against_the_schema(string schemaName) =>
        SampleAndValidate(schemaName, Seeds, gbnf => (uint seed) =>
        {
            var chain = AsciiOnly().AddGrammar(fixture.Model.Vocab, gbnf).AddTopK(40).AddTemperature(1.0f).AddDist(seed);
            return (chain.Sample, chain);
        });

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Grammar_constrained_sampler_output_validates_against_the_schema(string schemaName) =>
        SampleAndValidate(schemaName, Seeds / 4, gbnf => (uint seed) =>
        {
            var sampler = new GrammarConstrainedSampler(
                new LlamaSamplerChain().AddTopK(40).AddTemperature(1.0f).AddDist(seed), fixture.Model.Vocab, gbnf);
            return (sampler.Sample, sampler);
        });

    [Theory]
    [MemberData(nameof(FreeStringSchemaNames))]
    public void Constrained_sampler_keeps_free_strings_valid_utf8(string schemaName)
    {
        const int seeds = 120;
        var nonAscii = SampleAndValidate(TestSchemas.FreeStrings[schemaName], schemaName, seeds, gbnf => (uint seed) =>
        {
            var sampler = new GrammarConstrainedSampler(
                new LlamaSamplerChain().AddTopK(40).AddTemperature(1.0f).AddDist(seed), fixture.Model.Vocab, gbnf);
            return (sampler.Sample, sampler);
        });

        // Random weights pick bytes >= 0x80 about half the time: most documents must hold multi-byte characters.
        Assert.True(nonAscii >= seeds / 3, $"only {nonAscii} of {seeds} documents had non-ASCII text");
    }

    [Fact]
    public void Grammar_alone_lets_broken_utf8_through()
    {
        // The reason for the guard in GrammarConstrainedSampler, and proof that the check above can fail.
        using var schemaDocument = JsonDocument.Parse(TestSchemas.FreeStrings["free-object"]);
        var gbnf = JsonSchemaGrammar.Convert(schemaDocument.RootElement);
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        var broken = 0;
        for (uint seed = 1; seed <= 60; seed++)
        {
            using var chain = new LlamaSamplerChain().AddGrammar(fixture.Model.Vocab, gbnf).AddTopK(40).AddTemperature(1.0f).AddDist(seed);
            var (bytes, _) = GenerateBytes(ctx, batch, chain.Sample);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                broken++;
            }
        }

        Assert.True(broken > 0, "llama.cpp's grammar kept every output valid UTF-8: the guard may be unnecessary now");
    }

    [Fact]
    public void Any_json_grammar_yields_objects()
    {
        var completed = 0;
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        for (uint seed = 0; seed < 50; seed++)
        {
            using var sampler = new GrammarConstrainedSampler(
                new LlamaSamplerChain().AddTopK(40).AddTemperature(1.0f).AddDist(seed), fixture.Model.Vocab, JsonGrammar.ForAnyJson());
            var (bytes, complete) = GenerateBytes(ctx, batch, sampler.Sample);
            if (!complete)
            {
                // Unbounded strings may run past the cap: what was written must still be UTF-8, bar the end of a character.
                AssertValidUtf8Prefix(bytes, sampler.Utf8State.PendingContinuations);
                continue;
            }

            completed++;
            using var document = JsonDocument.Parse(StrictUtf8.GetString(bytes));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }

        Assert.True(completed >= 10, $"only {completed} of 50 documents completed");
    }

    [Fact]
    public void Constrained_sampler_resamples_only_when_the_free_choice_is_invalid()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        var gbnf = JsonSchemaGrammar.Convert(TestSchemas.All["person"]);
        using var sampler = new GrammarConstrainedSampler(new LlamaSamplerChain().AddTopK(40).AddTemperature(1.0f).AddDist(3), fixture.Model.Vocab, gbnf);
        var tokens = 0;
        var (text, complete) = Generate(ctx, batch, (c, i) => { tokens++; return sampler.Sample(c, i); });
        Assert.True(complete, text);
        Assert.InRange(sampler.Resamples, 1, tokens); // random weights rarely pick '{' first on their own
    }

    /// <summary>Valid UTF-8 except for an unfinished last character, which needs exactly <paramref name="pending"/> more bytes.</summary>
    private static void AssertValidUtf8Prefix(byte[] bytes, int pending)
    {
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(rest, out _, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData)
            {
                Assert.True(pending > 0, $"ends inside a character the sampler thinks is complete: {Convert.ToHexString(bytes)}");
                break;
            }

            Assert.True(status == System.Buffers.OperationStatus.Done, $"not UTF-8 at byte {bytes.Length - rest.Length}: {Convert.ToHexString(bytes)}");
            rest = rest[consumed..];
        }

        Assert.True(rest.IsEmpty == (pending == 0), $"sampler state ({pending} pending) disagrees with the bytes: {Convert.ToHexString(bytes)}");
    }

    /// <summary>
    /// A chain that never picks the byte tokens 0x80-0xFF, for the chains with llama.cpp's grammar alone:
    /// it decodes bytes leniently (see <see cref="Grammar_alone_lets_broken_utf8_through"/>), so keeping to
    /// ASCII makes a failure there a grammar failure. <see cref="GrammarConstrainedSampler"/> needs no such help.
    /// </summary>
    private LlamaSamplerChain AsciiOnly()
    {
        var bans = Enumerable.Range(0x80, 0x80).Select(b => new LlamaLogitBias(new LlamaToken(b), float.NegativeInfinity)).ToArray();
        return new LlamaSamplerChain().AddLogitBias(fixture.Model.Vocab.Count, bans);
    }

    public static TheoryData<string> SchemaNames() => TestSchemas.Names();

    public static TheoryData<string> FreeStringSchemaNames() => TestSchemas.FreeStringNames();

    private void SampleAndValidate(string schemaName, int seeds, Func<string, Func<uint, (Func<LlamaContext, int, LlamaToken> Sample, IDisposable Owner)>> samplerFactory) =>
        SampleAndValidate(TestSchemas.All[schemaName], schemaName, seeds, samplerFactory);

    /// <summary>Generates one document per seed and validates it; returns how many held non-ASCII bytes.</summary>
    private int SampleAndValidate(string schema, string schemaName, int seeds, Func<string, Func<uint, (Func<LlamaContext, int, LlamaToken> Sample, IDisposable Owner)>> samplerFactory)
    {
        using var schemaDocument = JsonDocument.Parse(schema);
        var gbnf = JsonSchemaGrammar.Convert(schemaDocument.RootElement);
        var validator = new SchemaValidator(schemaDocument.RootElement);
        var create = samplerFactory(gbnf);
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        var incomplete = 0;
        var nonAscii = 0;
        for (uint seed = 1; seed <= seeds; seed++)
        {
            var (sample, owner) = create(seed);
            using (owner)
            {
                var (bytes, complete) = GenerateBytes(ctx, batch, sample);
                if (!complete)
                {
                    incomplete++;
                    continue;
                }

                string text;
                try
                {
                    text = StrictUtf8.GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                    throw new Xunit.Sdk.XunitException($"seed {seed}: not valid UTF-8: {Convert.ToHexString(bytes)}\n{gbnf}");
                }

                nonAscii += bytes.Any(b => b >= 0x80) ? 1 : 0;
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"seed {seed}: not JSON ({e.Message}): {text}\n{gbnf}");
                }

                using (document)
                {
                    var error = validator.Validate(document.RootElement);
                    Assert.True(error is null, $"seed {seed}: {error}\n{text}\n{gbnf}");
                }
            }
        }

        // Only the recursive schema may run past the cap now and then.
        Assert.True(incomplete <= (schemaName == "tree" ? seeds / 10 : 0), $"{incomplete} of {seeds} documents hit the {TokenCap}-token cap");
        return nonAscii;
    }

    private LlamaContext CreateContext() => LlamaContext.Create(fixture.Model, new LlamaContextOptions
    {
        ContextSize = 512,
        BatchSize = 8,
        UBatchSize = 8,
        SeqMax = 1,
        Threads = 1,
        BatchThreads = 1,
    });

    private (string Text, bool Complete) Generate(LlamaContext ctx, LlamaBatch batch, Func<LlamaContext, int, LlamaToken> sample)
    {
        var (bytes, complete) = GenerateBytes(ctx, batch, sample);
        return (StrictUtf8.GetString(bytes), complete);
    }

    /// <summary>Decodes from BOS until the sampler picks end-of-generation (complete) or the cap.</summary>
    private (byte[] Bytes, bool Complete) GenerateBytes(LlamaContext ctx, LlamaBatch batch, Func<LlamaContext, int, LlamaToken> sample)
    {
        var vocab = fixture.Model.Vocab;
        var bytes = new List<byte>();
        Span<byte> piece = stackalloc byte[64];
        ctx.ClearMemory();
        batch.Clear();
        batch.Add(vocab.Bos ?? new LlamaToken(0), 0, new LlamaSeqId(0), logits: true);
        ctx.Decode(batch);
        for (var position = 1; position <= TokenCap; position++)
        {
            var token = sample(ctx, 0);
            if (vocab.IsEog(token))
            {
                return (bytes.ToArray(), true);
            }

            var length = vocab.TokenToPiece(token, piece, special: false);
            for (var i = 0; i < length; i++)
            {
                bytes.Add(piece[i]);
            }

            batch.Clear();
            batch.Add(token, position, new LlamaSeqId(0), logits: true);
            ctx.Decode(batch);
        }

        return (bytes.ToArray(), false);
    }
}
