using System.Text.Json;
using Corral.Models.Creation;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Models.Tests.Store;
using Corral.TestModels;

namespace Corral.Models.Tests.Creation;

/// <summary>
/// Model creation against a real store in a temp folder, from GGUF files the project's generators write: the
/// layers, config and manifest a create leaves, its progress lines, and the domain exception (whose type picks the
/// HTTP status at the edge) and message of each refusal.
/// </summary>
public sealed class ModelCreatorTests : IDisposable
{
    private readonly TempStore _storeFolder = new();
    private readonly TempStore _files = new();
    private readonly ModelStore _store;

    public ModelCreatorTests() => _store = new ModelStore(_storeFolder.Root);

    public void Dispose()
    {
        _storeFolder.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task A_model_from_an_uploaded_gguf_has_its_layer_config_and_manifest()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandom(p));

        var (progress, stored) = await CreateAsync(new CreateInput { Model = "made", Files = Files("model.gguf", digest) });

        Assert.Equal(["parsing GGUF", $"using existing layer {digest}", "writing manifest", "success"], progress.Select(p => p.Status));
        var layer = Assert.Single(stored.Manifest.Layers);
        Assert.Equal(MediaTypes.Model, layer.MediaType);
        Assert.Equal(digest, layer.Digest.ToString());
        Assert.Equal(_store.Blobs.GetPath(layer.Digest), layer.From);
        var config = _store.ReadConfig(stored.Manifest);
        Assert.Equal("gguf", config.ModelFormat);
        Assert.Equal("llama", config.ModelFamily);
        Assert.Equal(["llama"], config.ModelFamilies!);
        Assert.Equal("F32", config.FileType);
        Assert.Equal([digest], config.RootFs.DiffIds);
    }

    [Fact]
    public async Task A_model_from_another_inherits_its_layers_and_replaces_or_merges_what_is_given()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandom(p));
        await CreateAsync(new CreateInput
        {
            Model = "base",
            Files = Files("model.gguf", digest),
            System = "be brief",
            Parameters = Parameters("""{"temperature":0.5,"top_k":7}"""),
            Messages = [new ManifestMessage("user", "hi"), new ManifestMessage("assistant", "hello")],
            Licenses = ["MIT"],
        });

        var (progress, stored) = await CreateAsync(new CreateInput
        {
            Model = "derived",
            From = "base",
            Template = "{{ .Prompt }}",
            Parameters = Parameters("""{"temperature":0.9}"""),
            Licenses = ["Apache-2.0"],
        });

        Assert.DoesNotContain(progress, p => p.Status == "parsing GGUF");
        Assert.Contains($"using existing layer {digest}", progress.Select(p => p.Status));
        var layers = stored.Manifest.Layers;
        Assert.Equal("base:latest", layers.Single(l => l.MediaType == MediaTypes.Model).From);
        Assert.Equal("be brief", Text(layers, MediaTypes.System));
        Assert.Equal("{{ .Prompt }}", Text(layers, MediaTypes.Template));
        Assert.Equal("""{"temperature":0.9,"top_k":7}""" + "\n", Text(layers, MediaTypes.Params));
        Assert.Contains("\"content\":\"hello\"", Text(layers, MediaTypes.Messages), StringComparison.Ordinal);
        Assert.Equal(["MIT", "Apache-2.0"], layers.Where(l => l.MediaType == MediaTypes.License).Select(l => _store.ReadText(l)));
        Assert.Equal(layers.Select(l => l.Digest.ToString()), _store.ReadConfig(stored.Manifest).RootFs.DiffIds);
        Assert.Equal(["writing manifest", "success"], progress.TakeLast(2).Select(p => p.Status));
    }

    [Fact]
    public async Task Quantizing_goes_through_the_quantizer_and_stores_its_output()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandomF16(p, TestModelWriter.RandomShape));
        var quantizer = new CreateStandIns
        {
            Quantize = (input, output, target) =>
            {
                BrokenModelWriter.WithMetadata(input, output, GgufKeys.FileType, GgufValue.FromUInt32(target.FileType));
                return Task.CompletedTask;
            },
        };

        var (progress, stored) = await CreateAsync(new CreateInput { Model = "small", Files = Files("model.gguf", digest), Quantize = "q8_0" }, quantizer);

        Assert.Equal(new QuantizeTarget("Q8_0", 7), Assert.Single(quantizer.QuantizeCalls));
        var quantizing = progress.Where(p => p.Status == "quantizing F16 model to Q8_0").ToList();
        Assert.Equal([0L, quantizing[0].Total / 2, quantizing[0].Total], quantizing.Select(p => p.Completed));
        Assert.Contains("verifying conversion", progress.Select(p => p.Status));
        var layer = Assert.Single(stored.Manifest.Layers);
        Assert.NotEqual(digest, layer.Digest.ToString());
        Assert.Contains($"creating new layer {layer.Digest}", progress.Select(p => p.Status));
        Assert.Equal("Q8_0", _store.ReadConfig(stored.Manifest).FileType);
        Assert.Empty(Directory.EnumerateFiles(_store.Blobs.Directory, ".quantize-*"));
    }

    [Fact]
    public async Task A_model_already_of_the_target_type_is_not_quantized()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandom(p));
        var quantizer = new CreateStandIns();

        var (_, stored) = await CreateAsync(new CreateInput { Model = "same", Files = Files("model.gguf", digest), Quantize = "f32" }, quantizer);

        Assert.Empty(quantizer.QuantizeCalls);
        Assert.Equal(digest, Assert.Single(stored.Manifest.Layers).Digest.ToString());
    }

    [Fact]
    public async Task A_failed_quantization_is_the_servers_fault_and_leaves_no_model_and_no_temp_file()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandomF16(p, TestModelWriter.RandomShape));
        var quantizer = new CreateStandIns
        {
            Quantize = async (_, output, _) =>
            {
                // A quantizer that breaks its word and leaves a partial file behind.
                await File.WriteAllTextAsync(output, "partial");
                throw new CreateFailedException("quantization failed: out of luck");
            },
        };
        var creator = new ModelCreator(_store, quantizer, quantizer);
        var plan = creator.Prepare(new CreateInput { Model = "small", Files = Files("model.gguf", digest), Quantize = "Q4_K_M" });

        var error = await Assert.ThrowsAsync<CreateFailedException>(() => creator.ExecuteAsync(plan, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal("quantization failed: out of luck", error.Message);
        Assert.False(_store.TryGetManifest(ModelName.Parse("small"), out _));
        Assert.Empty(Directory.EnumerateFiles(_store.Blobs.Directory, ".quantize-*"));
    }

    [Fact]
    public async Task A_base_model_whose_blob_is_gone_is_the_servers_fault()
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandom(p));
        await CreateAsync(new CreateInput { Model = "base", Files = Files("model.gguf", digest) });
        Assert.True(BlobDigest.TryParse(digest, out var parsed));
        File.Delete(_store.Blobs.GetPath(parsed));

        var error = Assert.Throws<CreateFailedException>(() => Creator().Prepare(new CreateInput { Model = "x", From = "base" }));

        Assert.Equal($"model 'base' is missing its blob {digest}", error.Message);
    }

    [Fact]
    public void A_missing_base_model_is_not_found_under_the_name_given()
    {
        var error = Assert.Throws<CreateSourceNotFoundException>(() => Creator().Prepare(new CreateInput { Model = "x", From = "no-such-model" }));

        Assert.Equal("model 'no-such-model' not found", error.Message);
        Assert.Equal("no-such-model", error.Model);
    }

    public static TheoryData<string, string> RefusedInputs => new()
    {
        // case, exact message
        { "bad name", "invalid model name" },
        { "bad source name", "invalid model name" },
        { "nothing to build from", "neither 'from' or 'files' was specified" },
        { "empty files", "no files provided to convert" },
        { "absolute path", "file path must be relative" },
        { "bad digest", "invalid digest format" },
        { "unknown blob", "blob \"sha256:0000000000000000000000000000000000000000000000000000000000000000\" not found" },
        { "unsupported quantization", "unsupported quantization type Q3_K_XL - supported types are F32, F16, Q4_K_S, Q4_K_M, Q8_0" },
        { "draft quantize without draft", "--draft-quantize requires a DRAFT model" },
        { "safetensors adapter", "importing safetensors adapters is not supported ('a.safetensors'); convert the adapter to GGUF first (llama.cpp's convert_lora_to_gguf.py)" },
        { "bad template", "template error: unexpected }" },
        { "bad parameters", "unknown parameter 'nope'" },
    };

    [Theory]
    [MemberData(nameof(RefusedInputs))]
    public async Task Bad_input_is_refused_before_anything_is_stored(string what, string message)
    {
        var digest = await UploadAsync(p => TestModelWriter.WriteRandom(p));
        var model = Files("model.gguf", digest);
        var checks = new CreateStandIns
        {
            TemplateProblem = what == "bad template" ? "unexpected }" : null,
            ParametersProblem = what == "bad parameters" ? "unknown parameter 'nope'" : null,
        };
        var input = what switch
        {
            "bad name" => new CreateInput { Model = "../../x", From = "y" },
            "bad source name" => new CreateInput { Model = "x", From = "../../etc" },
            "nothing to build from" => new CreateInput { Model = "x" },
            "empty files" => new CreateInput { Model = "x", Files = new Dictionary<string, string>() },
            "absolute path" => new CreateInput { Model = "x", Files = Files("/etc/m.gguf", digest) },
            "bad digest" => new CreateInput { Model = "x", Files = Files("m.gguf", "sha256:../x") },
            "unknown blob" => new CreateInput { Model = "x", Files = Files("m.gguf", "sha256:" + new string('0', 64)) },
            "unsupported quantization" => new CreateInput { Model = "x", Files = model, Quantize = "q3_k_xl" },
            "draft quantize without draft" => new CreateInput { Model = "x", Files = model, DraftQuantize = "q8_0" },
            "safetensors adapter" => new CreateInput { Model = "x", Files = model, Adapters = Files("a.safetensors", digest) },
            "bad template" => new CreateInput { Model = "x", Files = model, Template = "{{ }" },
            "bad parameters" => new CreateInput { Model = "x", Files = model, Parameters = Parameters("""{"nope":1}""") },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var error = Assert.Throws<CreateInputException>(() => new ModelCreator(_store, checks, checks).Prepare(input));

        Assert.Equal(message, error.Message);
        Assert.Empty(_store.ListModels());
    }

    [Fact]
    public async Task A_file_that_is_not_gguf_or_is_damaged_is_refused_with_the_reason()
    {
        var text = await UploadAsync(p => File.WriteAllText(p, "hello, world"));
        var safetensors = Assert.Throws<CreateInputException>(() => Creator().Prepare(new CreateInput { Model = "x", Files = Files("model.safetensors", text) }));
        Assert.Equal("importing safetensors models is not supported; convert the model to GGUF first", safetensors.Message);
        var other = Assert.Throws<CreateInputException>(() => Creator().Prepare(new CreateInput { Model = "x", Files = Files("model.bin", text) }));
        Assert.Equal("supplied file was not in GGUF format", other.Message);

        var truncated = await UploadAsync(p =>
        {
            TestModelWriter.WriteRandom(p);
            var bytes = File.ReadAllBytes(p);
            File.WriteAllBytes(p, bytes[..(bytes.Length / 2)]);
        });
        var damaged = Assert.Throws<CreateInputException>(() => Creator().Prepare(new CreateInput { Model = "x", Files = Files("model.gguf", truncated) }));
        Assert.StartsWith("invalid GGUF file 'model.gguf': ", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_must_share_the_models_vocabulary_and_be_unquantized_to_be_quantized()
    {
        var model = await UploadAsync(TestModelWriter.WriteSuccessor);
        var otherVocabulary = await UploadAsync(TestModelWriter.WriteToolCaller);
        var mismatch = Assert.Throws<CreateInputException>(() => Creator().Prepare(
            new CreateInput { Model = "x", Files = Files("model.gguf", model), DraftFiles = Files("draft.gguf", otherVocabulary) }));
        Assert.StartsWith("the draft model's vocabulary (", mismatch.Message, StringComparison.Ordinal);

        var quantizedDraft = await UploadAsync(p =>
        {
            var source = Path.Combine(_files.Root, "successor-source.gguf");
            TestModelWriter.WriteSuccessor(source);
            BrokenModelWriter.WithMetadata(source, p, GgufKeys.FileType, GgufValue.FromUInt32(7));
        });
        var quantized = Assert.Throws<CreateInputException>(() => Creator().Prepare(
            new CreateInput { Model = "x", Files = Files("model.gguf", model), DraftFiles = Files("draft.gguf", quantizedDraft), DraftQuantize = "q8_0" }));
        Assert.Equal("draft quantization requires an unquantized draft model, got Q8_0", quantized.Message);

        var (_, stored) = await CreateAsync(new CreateInput { Model = "drafted", Files = Files("model.gguf", model), DraftFiles = Files("draft.gguf", model) });
        Assert.Equal([MediaTypes.Model, MediaTypes.Draft], stored.Manifest.Layers.Select(l => l.MediaType));
        Assert.Equal(["llama"], _store.ReadConfig(stored.Manifest).ModelFamilies!); // the draft is not what the model is
    }

    private ModelCreator Creator()
    {
        var standIns = new CreateStandIns();
        return new ModelCreator(_store, standIns, standIns);
    }

    private async Task<(List<CreateProgress> Progress, StoredModel Stored)> CreateAsync(CreateInput input, CreateStandIns? standIns = null)
    {
        standIns ??= new CreateStandIns();
        var creator = new ModelCreator(_store, standIns, standIns);
        var progress = new List<CreateProgress>();
        await creator.ExecuteAsync(creator.Prepare(input), p => { progress.Add(p); return Task.CompletedTask; }, CancellationToken.None);
        Assert.True(_store.TryGetManifest(ModelName.Parse(input.Model), out var stored));
        return (progress, stored);
    }

    /// <summary>Writes a file with <paramref name="write"/> and adds it to the store, as a client's blob upload does.</summary>
    private async Task<string> UploadAsync(Action<string> write)
    {
        var path = Path.Combine(_files.Root, Guid.NewGuid().ToString("N"));
        write(path);
        return (await _store.Blobs.AddFileAsync(path)).Digest.ToString();
    }

    private string? Text(IEnumerable<ManifestLayer> layers, string mediaType) => _store.ReadText(layers.Single(l => l.MediaType == mediaType));

    private static Dictionary<string, string> Files(string name, string digest) => new() { [name] = digest };

    private static Dictionary<string, JsonElement> Parameters(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringJsonElement)!;
}
