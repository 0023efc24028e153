using System.Text.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Ollama;

public sealed class ModelOptionsTests
{
    private static ModelOptions ReadOptions(string optionsJson) =>
        JsonSerializer.Deserialize($$"""{"model":"m","options":{{optionsJson}}}""", OllamaJsonContext.Default.GenerateRequest)!.Options!;

    [Fact]
    public void Reads_every_typed_option_from_the_docs_sample()
    {
        var options = ReadOptions("""
            {"num_keep":5,"seed":42,"num_predict":100,"top_k":20,"top_p":0.9,"min_p":0.0,"typical_p":0.7,
             "repeat_last_n":33,"temperature":0.8,"repeat_penalty":1.2,"presence_penalty":1.5,"frequency_penalty":1.0,
             "penalize_newline":true,"stop":["\n","user:"],"numa":false,"num_ctx":1024,"num_batch":2,"num_gpu":1,
             "main_gpu":0,"use_mmap":true,"num_thread":8}
            """);
        Assert.Equal(5, options.NumKeep);
        Assert.Equal(42, options.Seed);
        Assert.Equal(20, options.TopK);
        Assert.Equal(0.9f, options.TopP);
        Assert.Equal(0.0f, options.MinP);
        Assert.Equal(1.2f, options.RepeatPenalty);
        Assert.Equal(["\n", "user:"], options.Stop);
        Assert.Equal(1024, options.NumCtx);
        Assert.True(options.UseMmap);
        Assert.Equal(8, options.NumThread);
        Assert.Null(options.Mirostat);
        Assert.Null(options.UnknownKeys);
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_reported()
    {
        var options = ReadOptions("""{"temperature":0.1,"foo":1,"bar":{"x":[1]},"f16_kv":true}""");
        Assert.Equal(0.1f, options.Temperature);
        Assert.Equal(["foo", "bar"], options.UnknownKeys);
    }

    [Theory]
    [InlineData("""{"top_k":"40"}""", "option \"top_k\" must be of type integer")]
    [InlineData("""{"temperature":"hot"}""", "option \"temperature\" must be of type float32")]
    [InlineData("""{"use_mmap":1}""", "option \"use_mmap\" must be of type boolean")]
    [InlineData("""{"stop":"\n"}""", "option \"stop\" must be of type array")]
    [InlineData("""{"stop":[1]}""", "option \"stop\" must be of an array of strings")]
    public void Wrong_types_fail_with_ollamas_text(string json, string message) =>
        Assert.Equal(message, Assert.Throws<JsonException>(() => ReadOptions(json)).Message);

    [Fact]
    public void Integers_truncate_floats_and_nulls_are_skipped_like_go()
    {
        var options = ReadOptions("""{"num_predict":12.9,"seed":null}""");
        Assert.Equal(12, options.NumPredict);
        Assert.Null(options.Seed);
    }

    [Fact]
    public void Writes_only_set_options()
    {
        var options = new ModelOptions { Temperature = 0.5f, Stop = ["a"], UseMmap = false };
        var json = JsonSerializer.Serialize(options, OllamaJsonContext.Default.ModelOptions);
        Assert.Equal("""{"use_mmap":false,"temperature":0.5,"stop":["a"]}""", json);
        Assert.Equal("{}", JsonSerializer.Serialize(new ModelOptions(), OllamaJsonContext.Default.ModelOptions));
    }

    [Fact]
    public void Every_known_option_round_trips()
    {
        foreach (var name in ModelOptions.KnownNames)
        {
            var value = ModelOptions.KindOf(name) switch
            {
                OptionKind.Integer => "7",
                OptionKind.Float => "0.25",
                OptionKind.Boolean => "true",
                _ => "[\"x\"]",
            };
            var json = $"{{\"{name}\":{value}}}";
            var options = JsonSerializer.Deserialize(json, OllamaJsonContext.Default.ModelOptions)!;
            Assert.Null(options.UnknownKeys);
            Assert.Equal(json, JsonSerializer.Serialize(options, OllamaJsonContext.Default.ModelOptions));
        }
    }

    [Fact]
    public void Defaults_match_ollama()
    {
        var d = ModelOptions.Defaults;
        Assert.Equal(0.8f, d.Temperature);
        Assert.Equal(40, d.TopK);
        Assert.Equal(0.9f, d.TopP);
        Assert.Equal(0.0f, d.MinP);
        Assert.Equal(1.0f, d.TypicalP);
        Assert.Equal(64, d.RepeatLastN);
        Assert.Equal(1.1f, d.RepeatPenalty);
        Assert.Equal(-1, d.NumPredict);
        Assert.Equal(4096, d.NumCtx);
        Assert.Equal(512, d.NumBatch);
        Assert.Equal(-1, d.Seed);
        Assert.Equal(4, d.NumKeep);
        Assert.Null(d.UseMmap);
        Assert.Null(d.Stop);
    }

    [Fact]
    public void Merge_layers_set_values_over_the_base()
    {
        var modelfile = new ModelOptions { Temperature = 0.2f, Stop = ["<|eot|>"] };
        var request = new ModelOptions { Temperature = 0.9f, NumCtx = 8192 };
        var merged = ModelOptions.Defaults.Merge(modelfile).Merge(request);
        Assert.Equal(0.9f, merged.Temperature);
        Assert.Equal(8192, merged.NumCtx);
        Assert.Equal(["<|eot|>"], merged.Stop);
        Assert.Equal(40, merged.TopK);
        Assert.Equal(0.2f, modelfile.Temperature);
        Assert.Equal(0.2f, modelfile.Merge(null).Temperature);
    }

    [Fact]
    public void FromMap_validates_names_and_types()
    {
        var map = new Dictionary<string, JsonElement>
        {
            ["temperature"] = JsonSerializer.SerializeToElement(0.3, OllamaJsonContext.Default.Double),
            ["stop"] = JsonDocument.Parse("[\"a\",\"b\"]").RootElement,
        };
        var options = ModelOptions.FromMap(map);
        Assert.Equal(0.3f, options.Temperature);
        Assert.Equal(["a", "b"], options.Stop);

        map["foo"] = JsonDocument.Parse("1").RootElement;
        var unknown = Assert.Throws<InvalidOptionException>(() => ModelOptions.FromMap(map));
        Assert.Equal("foo", unknown.ParamName);
        Assert.StartsWith("unknown parameter 'foo'", unknown.Message);
        Assert.Equal(["foo"], ModelOptions.FromMap(map, ignoreUnknown: true).UnknownKeys);

        var wrongType = new Dictionary<string, JsonElement> { ["top_k"] = JsonDocument.Parse("true").RootElement };
        Assert.Equal("top_k", Assert.Throws<InvalidOptionException>(() => ModelOptions.FromMap(wrongType)).ParamName);
    }

    [Fact]
    public void FromParameters_parses_modelfile_text_values()
    {
        var options = ModelOptions.FromParameters(
        [
            new("temperature", "0.7"), new("num_ctx", "2048"), new("stop", "<|im_end|>"), new("stop", "<|im_start|>"),
            new("use_mmap", "F"), new("mirostat", "2"), new("f16_kv", "true"),
        ]);
        Assert.Equal(0.7f, options.Temperature);
        Assert.Equal(2048, options.NumCtx);
        Assert.Equal(["<|im_end|>", "<|im_start|>"], options.Stop);
        Assert.False(options.UseMmap);
        Assert.Equal(2, options.Mirostat);

        Assert.StartsWith("invalid int value [2k]", Assert.Throws<InvalidOptionException>(() => ModelOptions.FromParameters([new("num_ctx", "2k")])).Message);
        Assert.StartsWith("invalid float value [hot]", Assert.Throws<InvalidOptionException>(() => ModelOptions.FromParameters([new("temperature", "hot")])).Message);
        Assert.StartsWith("unknown parameter 'nope'", Assert.Throws<InvalidOptionException>(() => ModelOptions.FromParameters([new("nope", "1")])).Message);
    }

    [Fact]
    public void Reads_llama_server_sampler_options_from_json()
    {
        const string json = """
            {"top_n_sigma":1.5,"xtc_probability":0.5,"xtc_threshold":0.2,"dry_multiplier":0.8,"dry_base":2,
             "dry_allowed_length":3,"dry_penalty_last_n":-1,"dry_sequence_breakers":["\n","###"]}
            """;
        var options = JsonSerializer.Deserialize(json, OllamaJsonContext.Default.ModelOptions)!;
        Assert.Null(options.UnknownKeys);
        Assert.Equal(1.5f, options.TopNSigma);
        Assert.Equal(0.5f, options.XtcProbability);
        Assert.Equal(0.2f, options.XtcThreshold);
        Assert.Equal(0.8f, options.DryMultiplier);
        Assert.Equal(2f, options.DryBase);
        Assert.Equal(3, options.DryAllowedLength);
        Assert.Equal(-1, options.DryPenaltyLastN);
        Assert.Equal(["\n", "###"], options.DrySequenceBreakers);
        Assert.Null(options.Stop);

        Assert.Equal(
            "option \"dry_sequence_breakers\" must be of an array of strings",
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"dry_sequence_breakers":[1]}""", OllamaJsonContext.Default.ModelOptions)).Message);
        Assert.Equal(
            "option \"dry_allowed_length\" must be of type integer",
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"dry_allowed_length":"2"}""", OllamaJsonContext.Default.ModelOptions)).Message);
    }

    [Fact]
    public void Llama_server_sampler_defaults_are_off()
    {
        var d = ModelOptions.Defaults;
        Assert.Equal(-1f, d.TopNSigma);
        Assert.Equal(0f, d.XtcProbability);
        Assert.Equal(0.1f, d.XtcThreshold);
        Assert.Equal(0f, d.DryMultiplier);
        Assert.Equal(1.75f, d.DryBase);
        Assert.Equal(2, d.DryAllowedLength);
        Assert.Equal(64, d.DryPenaltyLastN);
        Assert.Equal(["\n", ":", "\"", "*"], d.DrySequenceBreakers);
    }

    [Fact]
    public void FromParameters_gathers_each_string_list_on_its_own()
    {
        var options = ModelOptions.FromParameters(
        [
            new("dry_multiplier", "0.8"), new("dry_allowed_length", "3"), new("stop", "<|end|>"),
            new("dry_sequence_breakers", "\n"), new("dry_sequence_breakers", "###"), new("xtc_probability", "0.5"), new("top_n_sigma", "1"),
        ]);
        Assert.Equal(0.8f, options.DryMultiplier);
        Assert.Equal(3, options.DryAllowedLength);
        Assert.Equal(0.5f, options.XtcProbability);
        Assert.Equal(1f, options.TopNSigma);
        Assert.Equal(["<|end|>"], options.Stop);
        Assert.Equal(["\n", "###"], options.DrySequenceBreakers);
        Assert.StartsWith("invalid int value [two]", Assert.Throws<InvalidOptionException>(() => ModelOptions.FromParameters([new("dry_allowed_length", "two")])).Message);
    }
}
