using System.Net;
using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Models.Gguf;
using Corral.Models.Modelfiles;
using Corral.Templates.Library;
using Corral.TestModels;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

public sealed class ModelLifecycleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string ToolsTemplate = "{{ if .Tools }}TOOLS {{ json .Tools }}{{ end }}{{ range .Messages }}<{{ .Role }}>{{ .Content }}{{ end }}<assistant>";

    private OllamaClient Client => fixture.Client;

    [Fact]
    public async Task CreateFromBlob_StreamsOllamaProgress_AndTagsListsTheModel()
    {
        var digest = ServerFixture.DigestOf(GeneratedModels.Random);
        var progress = await fixture.CreateFromFileAsync("lifecycle-random", GeneratedModels.Random);

        var statuses = progress.Select(p => p.Status).ToList();
        Assert.Equal("parsing GGUF", statuses[0]);
        Assert.Contains($"using existing layer {digest}", statuses);
        Assert.Equal(["writing manifest", "success"], statuses[^2..]);

        var list = await Client.ListAsync();
        var model = Assert.Single(list.Models, m => m.Name == "lifecycle-random:latest");
        Assert.Equal(model.Name, model.Model);
        var manifestPath = Path.Combine(fixture.Server.ModelsPath, "manifests", "registry.ollama.ai", "library", "lifecycle-random", "latest");
        Assert.Equal(ServerFixture.DigestOf(manifestPath)["sha256:".Length..], model.Digest);
        Assert.True(model.Size > new FileInfo(GeneratedModels.Random).Length);

        var gguf = GgufReader.Read(GeneratedModels.Random, GgufReadOptions.MetadataOnly);
        Assert.Equal("gguf", model.Details.Format);
        Assert.Equal("llama", model.Details.Family);
        Assert.Equal(["llama"], model.Details.Families!);
        Assert.Equal(HumanNumber.Format(gguf.ParameterCount), model.Details.ParameterSize);
        Assert.Equal("F32", model.Details.QuantizationLevel);
        Assert.True(Math.Abs((DateTimeOffset.Now - model.ModifiedAt).TotalMinutes) < 5);

        // Ollama 0.33's additions: the GGUF's lengths in the details, and the capabilities show reports.
        Assert.Equal((int)gguf.GetUInt32("llama.context_length"), model.Details.ContextLength);
        Assert.Equal((int)gguf.GetUInt32("llama.embedding_length"), model.Details.EmbeddingLength);
        Assert.True(model.Details.ContextLength > 0 && model.Details.EmbeddingLength > 0);
        var show = await Client.ShowAsync(new ShowRequest { Model = "lifecycle-random" });
        Assert.Equal(show.Capabilities, model.Capabilities);
        Assert.Contains("completion", model.Capabilities!);
    }

    [Fact]
    public async Task Tags_lists_an_embedding_models_capability_and_width()
    {
        await fixture.CreateFromFileAsync("tags-embed", GeneratedModels.Embedding);

        using var raw = JsonDocument.Parse(await fixture.Http.GetStringAsync("/api/tags"));
        var entries = raw.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        var embed = entries["tags-embed:latest"];
        Assert.Equal(["embedding"], embed.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.True(embed.GetProperty("details").GetProperty("embedding_length").GetInt32() > 0);
    }

    [Fact]
    public async Task Tags_ListsNewestFirst()
    {
        await fixture.CreateFromFileAsync("order-old", GeneratedModels.Random, r => r.System = "old");
        await Task.Delay(1100); // Ollama sorts by whole seconds
        await fixture.CreateFromFileAsync("order-new", GeneratedModels.Random, r => r.System = "new");

        var names = (await Client.ListAsync()).Models.Select(m => m.Name).ToList();
        OrderAssert.InOrder(names, "order-new:latest", "order-old:latest");
    }

    [Fact]
    public async Task Show_ReportsEveryField_AndTheModelfileParsesBack()
    {
        await CreateRichModelAsync("show-rich");

        var show = await Client.ShowAsync(new ShowRequest { Model = "show-rich" });
        Assert.Equal("MIT license\nsecond license", show.License);
        Assert.Equal(ToolsTemplate, show.Template);
        Assert.Equal("You are terse.", show.System);
        Assert.Equal(
            string.Join('\n',
                "num_ctx                        1e+06",
                "stop                           \"<|end|>\"",
                "stop                           \"\\nUser:\"",
                "temperature                    0.5"),
            show.Parameters);
        Assert.Equal([("user", "hi"), ("assistant", "hello")], show.Messages!.Select(m => (m.Role, m.Content)));
        Assert.Equal(["completion", "tools"], show.Capabilities!);
        Assert.Equal("llama", show.Details.Family);
        Assert.Equal("F32", show.Details.QuantizationLevel);
        Assert.EndsWith(ServerFixture.DigestOf(GeneratedModels.Random).Replace(':', '-'), show.Details.ParentModel);
        Assert.True(Math.Abs((DateTimeOffset.Now - show.ModifiedAt).TotalMinutes) < 5);

        var gguf = GgufReader.Read(GeneratedModels.Random);
        var info = show.ModelInfo!;
        Assert.Equal("llama", info["general.architecture"]!.GetValue<string>());
        Assert.Equal(gguf.ParameterCount, info["general.parameter_count"]!.GetValue<long>());
        Assert.Equal(gguf.GetUInt32("llama.context_length"), info["llama.context_length"]!.GetValue<uint>());
        Assert.False(info.ContainsKey("general.name"));
        Assert.False(info.ContainsKey("tokenizer.chat_template"));
        Assert.True(info.ContainsKey("tokenizer.ggml.tokens"));
        Assert.Null(info["tokenizer.ggml.tokens"]);
        Assert.Equal(info.Select(kv => kv.Key).Order(StringComparer.Ordinal), info.Select(kv => kv.Key));
        Assert.Null(show.Tensors);

        var verbose = await Client.ShowAsync(new ShowRequest { Model = "show-rich", Verbose = true });
        Assert.Equal(gguf.GetArray(GgufKeys.Tokens).Count, verbose.ModelInfo!["tokenizer.ggml.tokens"]!.AsArray().Count);
        Assert.Equal(gguf.Tensors.Count, verbose.Tensors!.Count);
        var embd = verbose.Tensors!.Single(t => t.Name == "token_embd.weight");
        Assert.Equal("F32", embd.Type);
        Assert.Equal(gguf.TensorsByName["token_embd.weight"].Dimensions.Select(d => (ulong)d), embd.Shape);

        // The Modelfile round trip: everything the model was created with comes back.
        Assert.StartsWith("# Modelfile generated by \"ollama show\"\n", show.Modelfile);
        Assert.Contains("# FROM show-rich:latest\n", show.Modelfile);
        var modelfile = Modelfile.Parse(show.Modelfile!);
        Assert.Equal(show.Details.ParentModel, modelfile.From);
        Assert.Equal(ToolsTemplate, modelfile.Template);
        Assert.Equal("You are terse.", modelfile.System);
        Assert.Equal(["MIT license", "second license"], modelfile.Licenses);
        Assert.Equal([("user", "hi"), ("assistant", "hello")], modelfile.Messages.Select(m => (m.Name!, m.Value)));
        using var paramsJson = JsonDocument.Parse(modelfile.ParamsJson());
        Assert.Equal(0.5, paramsJson.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(1000000, paramsJson.RootElement.GetProperty("num_ctx").GetInt32());
        Assert.Equal(["<|end|>", "\nUser:"], paramsJson.RootElement.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));

        var legacyName = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/show", """{"name":"show-rich"}""");
        Assert.Equal(HttpStatusCode.OK, legacyName.Status);
    }

    [Fact]
    public async Task Show_EmbeddingModel_HasOnlyTheEmbeddingCapability()
    {
        await fixture.CreateFromFileAsync("show-embed", GeneratedModels.Embedding);
        var show = await Client.ShowAsync(new ShowRequest { Model = "show-embed" });
        Assert.Equal(["embedding"], show.Capabilities!);
        Assert.Equal("bert", show.Details.Family);
        Assert.Equal("{{ .Prompt }}", show.Template);
    }

    [Fact]
    public async Task Show_Template_IsTheLayer_ElseTheRecognisedFormat_ElseTheGgufsJinja_ElseThePlainPrompt()
    {
        const string chatMl = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        const string unknown = "{% for message in messages %}{{ message['role'] | upper }}: {{ message['content'] }}\n{% endfor %}ASSISTANT:";
        var folder = Directory.CreateTempSubdirectory("corral-show-template-");
        try
        {
            async Task<ShowResponse> CreateAndShowAsync(string name, string? jinja)
            {
                var path = Path.Combine(folder.FullName, name + ".gguf");
                TestModelWriter.WriteRandom(path, seed: 9, chatTemplate: jinja);
                await fixture.CreateFromFileAsync(name, path);
                return await Client.ShowAsync(new ShowRequest { Model = name });
            }

            // A GGUF whose Jinja template renders like a library template shows that Go template, as Ollama would have
            // stored it at create time; the Modelfile still has no TEMPLATE, so creating from it keeps the Jinja.
            var recognised = await CreateAndShowAsync("template-chatml", chatMl);
            Assert.Equal(KnownChatTemplates.Find("chatml")!.Text, recognised.Template);
            Assert.DoesNotContain("TEMPLATE", recognised.Modelfile);
            Assert.Null(Modelfile.Parse(recognised.Modelfile!).Template);

            // The generated models' Llama 3 template starts with bos_token: recognised once the BOS text is read from
            // the vocabulary and dropped, as llama.cpp adds BOS itself.
            await fixture.CreateFromFileAsync("template-llama3", GeneratedModels.Random);
            Assert.Equal(KnownChatTemplates.Find("llama3")!.Text, (await Client.ShowAsync(new ShowRequest { Model = "template-llama3" })).Template);

            // An unknown Jinja template is what Corral renders with, so that is what show gives.
            Assert.Equal(unknown, (await CreateAndShowAsync("template-unknown", unknown)).Template);

            // No chat template at all: Ollama's default.
            Assert.Equal("{{ .Prompt }}", (await CreateAndShowAsync("template-none", null)).Template);

            // A TEMPLATE layer is the template, whatever the GGUF has.
            await fixture.CreateFromFileAsync("template-layer", Path.Combine(folder.FullName, "template-chatml.gguf"), r => r.Template = "{{ .System }}|{{ .Prompt }}");
            var layered = await Client.ShowAsync(new ShowRequest { Model = "template-layer" });
            Assert.Equal("{{ .System }}|{{ .Prompt }}", layered.Template);
            Assert.Equal("{{ .System }}|{{ .Prompt }}", Modelfile.Parse(layered.Modelfile!).Template);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CreateFromExistingModel_InheritsLayers_AndOverridesWhatIsGiven()
    {
        await CreateRichModelAsync("base-model");
        var weights = ServerFixture.DigestOf(GeneratedModels.Random);

        var progress = await ServerFixture.CollectAsync(Client.CreateAsync(new CreateRequest
        {
            Model = "derived-model",
            From = "base-model",
            System = "You are verbose.",
            Parameters = new() { ["temperature"] = Json("0.9") },
        }));
        var statuses = progress.Select(p => p.Status).ToList();
        Assert.Contains($"using existing layer {weights}", statuses);
        Assert.Contains(statuses, s => s.StartsWith("creating new layer sha256:", StringComparison.Ordinal));
        Assert.Equal("success", statuses[^1]);

        var show = await Client.ShowAsync(new ShowRequest { Model = "derived-model" });
        Assert.Equal("You are verbose.", show.System);
        Assert.Equal(ToolsTemplate, show.Template);
        Assert.Equal("base-model:latest", show.Details.ParentModel);
        Assert.Contains("temperature                    0.9", show.Parameters);
        Assert.Contains("stop                           \"<|end|>\"", show.Parameters);
        Assert.Equal(2, show.Messages!.Count);

        var overridden = await ServerFixture.CollectAsync(Client.CreateAsync(new CreateRequest
        {
            Model = "derived-model:v2",
            From = "derived-model",
            Template = "{{ .Prompt }}",
            Messages = [new Message { Role = "user", Content = "only" }],
            Stream = false,
        }));
        Assert.Equal("success", Assert.Single(overridden).Status);
        var v2 = await Client.ShowAsync(new ShowRequest { Model = "derived-model:v2" });
        Assert.Equal("{{ .Prompt }}", v2.Template);
        Assert.Equal(["completion"], v2.Capabilities!);
        Assert.Equal("only", Assert.Single(v2.Messages!).Content);
    }

    [Fact]
    public async Task Copy_GivesASecondNameForTheSameManifest()
    {
        await fixture.CreateFromFileAsync("copy-source", GeneratedModels.Random, r => r.System = "copy me");
        await Client.CopyAsync(new CopyRequest { Source = "copy-source", Destination = "someone/copied:v1" });

        var models = (await Client.ListAsync()).Models;
        var source = Assert.Single(models, m => m.Name == "copy-source:latest");
        var copy = Assert.Single(models, m => m.Name == "someone/copied:v1");
        Assert.Equal(source.Digest, copy.Digest);
        Assert.Equal("copy me", (await Client.ShowAsync(new ShowRequest { Model = "someone/copied:v1" })).System);

        var missing = await Assert.ThrowsAsync<OllamaApiException>(() => Client.CopyAsync(new CopyRequest { Source = "no-such", Destination = "x" }));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model \"no-such\" not found", missing.ErrorMessage);
    }

    [Fact]
    public async Task Delete_RemovesTheModel_AndPrunesItsBlobs()
    {
        // The successor model is used by no other test in this class, so its weights must go.
        var weights = ServerFixture.DigestOf(GeneratedModels.Successor);
        await fixture.CreateFromFileAsync("delete-me", GeneratedModels.Successor, r => r.System = "delete-me system prompt");
        await Client.CopyAsync(new CopyRequest { Source = "delete-me", Destination = "delete-me:copy" });
        Assert.True(fixture.BlobOnDisk(weights));

        await Client.DeleteAsync(new DeleteRequest { Model = "delete-me" });
        Assert.True(fixture.BlobOnDisk(weights)); // still used by the copy

        var legacy = await RawApi.SendAsync(fixture.Http, HttpMethod.Delete, "/api/delete", """{"name":"delete-me:copy"}""");
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.False(fixture.BlobOnDisk(weights));
        var systemDigest = ServerFixture.DigestOf("delete-me system prompt"u8.ToArray());
        Assert.False(fixture.BlobOnDisk(systemDigest));

        Assert.DoesNotContain((await Client.ListAsync()).Models, m => m.Name.StartsWith("delete-me", StringComparison.Ordinal));
        var gone = await Assert.ThrowsAsync<OllamaApiException>(() => Client.ShowAsync(new ShowRequest { Model = "delete-me" }));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var again = await Assert.ThrowsAsync<OllamaApiException>(() => Client.DeleteAsync(new DeleteRequest { Model = "delete-me" }));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("model 'delete-me' not found", again.ErrorMessage);
    }

    [Fact]
    public async Task Quantize_F32ToQ8_0_AndF16ToQ4_K_M()
    {
        var progress = await fixture.CreateFromFileAsync("quant-q8", GeneratedModels.Random, r => r.Quantize = "q8_0");
        var statuses = progress.Select(p => p.Status).ToList();
        Assert.Contains("quantizing F32 model to Q8_0", statuses);
        Assert.Contains("verifying conversion", statuses);
        Assert.Equal("success", statuses[^1]);
        var q8 = await Client.ShowAsync(new ShowRequest { Model = "quant-q8" });
        Assert.Equal("Q8_0", q8.Details.QuantizationLevel);
        Assert.Equal(7, q8.ModelInfo!["general.file_type"]!.GetValue<long>());

        var f16Path = Path.Combine(Path.GetTempPath(), $"corral-f16-{Guid.NewGuid():N}.gguf");
        try
        {
            Corral.TestModels.TestModelWriter.WriteRandom(f16Path, seed: 3, weightType: GgmlType.F16);
            var f16 = await fixture.CreateFromFileAsync("quant-q4", f16Path, r => r.Quantize = "q4_K_M");
            Assert.Contains("quantizing F16 model to Q4_K_M", f16.Select(p => p.Status));
        }
        finally
        {
            File.Delete(f16Path);
        }

        var q4 = (await Client.ListAsync()).Models.Single(m => m.Name == "quant-q4:latest");
        Assert.Equal("Q4_K_M", q4.Details.QuantizationLevel);

        // Quantizing an already quantized model is refused with Ollama's words.
        var requantize = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", """{"model":"quant-again","from":"quant-q8","quantize":"q4_K_M"}""");
        Assert.Equal(HttpStatusCode.BadRequest, requantize.Status);
        Assert.Equal("quantization is only supported for F16 and F32 models", requantize.Error);
    }

    private static JsonElement Json(string raw)
    {
        using var doc = JsonDocument.Parse(raw);
        return doc.RootElement.Clone();
    }

    private async Task CreateRichModelAsync(string name)
    {
        await fixture.CreateFromFileAsync(name, GeneratedModels.Random, r =>
        {
            r.Template = ToolsTemplate;
            r.System = "You are terse.";
            r.License = new Corral.Api.Json.StringOrArray(["MIT license", "second license"]);
            r.Parameters = new()
            {
                ["temperature"] = Json("0.5"),
                ["num_ctx"] = Json("1000000"),
                ["stop"] = Json("""["<|end|>", "\nUser:"]"""),
            };
            r.Messages = [new Message { Role = "user", Content = "hi" }, new Message { Role = "assistant", Content = "hello" }];
        });
    }
}
