using System.Text;
using System.Text.Json;
using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// The main proof: random-weight sampling under each schema's grammar always yields JSON that validates
/// against the schema, both with the grammar first in a chain and with <see cref="GrammarConstrainedSampler"/>.
/// </summary>
public sealed class GrammarSamplingTests(RandomModelFixture fixture) : IClassFixture<RandomModelFixture>
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
                AsciiOnly().AddTopK(40).AddTemperature(1.0f).AddDist(seed), fixture.Model.Vocab, gbnf);
            return (sampler.Sample, sampler);
        });

    [Fact]
    public void Any_json_grammar_yields_objects()
    {
        var completed = 0;
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        for (uint seed = 0; seed < 50; seed++)
        {
            using var chain = AsciiOnly().AddGrammar(fixture.Model.Vocab, JsonGrammar.ForAnyJson()).AddTopK(40).AddTemperature(1.0f).AddDist(seed);
            var (text, complete) = Generate(ctx, batch, chain.Sample);
            if (!complete)
            {
                continue; // unbounded strings may run past the cap; what was written is still checked below when complete
            }

            completed++;
            using var document = JsonDocument.Parse(text);
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
        using var sampler = new GrammarConstrainedSampler(AsciiOnly().AddTopK(40).AddTemperature(1.0f).AddDist(3), fixture.Model.Vocab, gbnf);
        var tokens = 0;
        var (text, complete) = Generate(ctx, batch, (c, i) => { tokens++; return sampler.Sample(c, i); });
        Assert.True(complete, text);
        Assert.InRange(sampler.Resamples, 1, tokens); // random weights rarely pick '{' first on their own
    }

    /// <summary>
    /// A chain that never picks the byte tokens 0x80-0xFF. Random weights would otherwise pick lone or
    /// truncated UTF-8 bytes, which llama.cpp's grammar decodes leniently (a real model does not write
    /// broken UTF-8); keeping to ASCII makes a failure here a grammar failure.
    /// </summary>
    private LlamaSamplerChain AsciiOnly()
    {
        var bans = Enumerable.Range(0x80, 0x80).Select(b => new LlamaLogitBias(new LlamaToken(b), float.NegativeInfinity)).ToArray();
        return new LlamaSamplerChain().AddLogitBias(fixture.Model.Vocab.Count, bans);
    }

    public static TheoryData<string> SchemaNames() => TestSchemas.Names();

    private void SampleAndValidate(string schemaName, int seeds, Func<string, Func<uint, (Func<LlamaContext, int, LlamaToken> Sample, IDisposable Owner)>> samplerFactory)
    {
        using var schemaDocument = JsonDocument.Parse(TestSchemas.All[schemaName]);
        var gbnf = JsonSchemaGrammar.Convert(schemaDocument.RootElement);
        var validator = new SchemaValidator(schemaDocument.RootElement);
        var create = samplerFactory(gbnf);
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(1);
        var incomplete = 0;
        for (uint seed = 1; seed <= seeds; seed++)
        {
            var (sample, owner) = create(seed);
            using (owner)
            {
                var (text, complete) = Generate(ctx, batch, sample);
                if (!complete)
                {
                    incomplete++;
                    continue;
                }

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

    /// <summary>Decodes from BOS until the sampler picks end-of-generation (complete) or the cap.</summary>
    private (string Text, bool Complete) Generate(LlamaContext ctx, LlamaBatch batch, Func<LlamaContext, int, LlamaToken> sample)
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
                return (StrictUtf8.GetString(bytes.ToArray()), true);
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

        return (StrictUtf8.GetString(bytes.ToArray()), false);
    }
}
