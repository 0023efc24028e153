using System.Buffers;
using System.Text;
using System.Text.Json;
using Corral.Models.Formatting;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Creation;

/// <summary>
/// Ollama's model creation: base layers from an existing model or from uploaded GGUF blobs, optional
/// quantization, then template/system/license/params/messages layers, a config blob and an atomic
/// manifest write. <see cref="Prepare"/> does every check that can fail on bad input, so those
/// failures get a status code before any progress is streamed. Every blob the new manifest will use
/// is reserved in the store (<see cref="BlobReservation"/>) before it is checked or written, so a
/// concurrent delete or re-pull cannot prune it before the manifest exists; writing the manifest
/// prunes the layers only the replaced model used (unless OLLAMA_NOPRUNE). What the store cannot do itself comes
/// through seams: quantizing (<see cref="IGgufQuantizer"/>) and checking the template and parameters
/// (<see cref="ICreateChecks"/>). Failures are <see cref="ModelCreationException"/>s; the caller picks the status.
/// </summary>
/// <param name="store">Where the new model's blobs and manifest go, and where its base model and uploads are.</param>
/// <param name="quantizer">Quantizes weights when the input asks for it.</param>
/// <param name="checks">Checks the template and parameters before anything is stored.</param>
public sealed class ModelCreator(ModelStore store, IGgufQuantizer quantizer, ICreateChecks checks)
{
    private const string QuantizeProgressDigest = "0000000000000000000";
    private static readonly Dictionary<string, JsonElement> EmptyParameters = [];

    /// <summary>Checks <paramref name="input"/> against the store; nothing is written.</summary>
    /// <exception cref="ModelCreationException">It cannot be created (its subclass says why).</exception>
    public CreatePlan Prepare(CreateInput input)
    {
        var name = ModelName.Parse(input.Model);
        if (!name.IsValid)
        {
            throw new CreateInputException("invalid model name");
        }

        foreach (var file in (input.Files?.Keys ?? Enumerable.Empty<string>()).Concat(input.Adapters?.Keys ?? Enumerable.Empty<string>()).Concat(input.DraftFiles?.Keys ?? Enumerable.Empty<string>()))
        {
            if (!IsRelativePath(file))
            {
                throw new CreateInputException("file path must be relative");
            }
        }

        var quantize = QuantizeTarget.Parse(input.Quantize);
        var layers = new List<CreateLayer>();
        var parsed = 0;
        if (!string.IsNullOrEmpty(input.From))
        {
            layers.AddRange(FromModel(input.From));
        }
        else if (input.Files is { Count: > 0 } files)
        {
            foreach (var (fileName, digest) in files)
            {
                layers.Add(FromBlob(fileName, digest, adapter: false));
                parsed++;
            }
        }
        else if (input.Files is not null)
        {
            throw new CreateInputException("no files provided to convert");
        }
        else
        {
            throw new CreateInputException("neither 'from' or 'files' was specified");
        }

        if (input.Adapters is { Count: > 0 } adapters)
        {
            // Several adapters are applied together (Ollama takes one); their order is their id in a request's lora list.
            if (adapters.Keys.FirstOrDefault(f => f.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) is { } safetensors)
            {
                throw new CreateInputException($"importing safetensors adapters is not supported ('{safetensors}'); convert the adapter to GGUF first (llama.cpp's convert_lora_to_gguf.py)");
            }

            var model = layers.FirstOrDefault(l => l.MediaType == MediaTypes.Model && l.Gguf is not null)?.Gguf;
            foreach (var (fileName, digest) in adapters)
            {
                var adapter = FromBlob(fileName, digest, adapter: true);
                if (model is not null && GgufAdapterCheck.FindProblem(adapter.Gguf!, model) is { } problem)
                {
                    throw new CreateInputException($"invalid adapter '{fileName}': {problem}");
                }

                layers.Add(adapter);
                parsed++;
            }
        }

        var draftQuantize = AddDraft(input, layers, ref parsed);
        CheckTemplate(input.Template);
        CheckParameters(input.Parameters);
        return new CreatePlan(name, input, layers)
        {
            ParsedFiles = parsed,
            Quantize = quantize is null ? null : CheckQuantizable(layers, quantize),
            DraftQuantize = draftQuantize,
        };
    }

    /// <summary>Stores the layers, the config and the manifest of a prepared create, reporting each step to <paramref name="progress"/>.</summary>
    /// <exception cref="ModelCreationException">A base blob went missing since <see cref="Prepare"/>, or quantizing failed.</exception>
    public async Task ExecuteAsync(CreatePlan plan, Func<CreateProgress, Task> progress, CancellationToken cancellation)
    {
        var input = plan.Input;
        using var reservation = store.ReserveBlobs(plan.BaseLayers.Select(l => l.Layer.Digest));
        foreach (var layer in plan.BaseLayers)
        {
            // Checked by Prepare, but a delete may have pruned it before the reservation was taken.
            if (!store.Blobs.Exists(layer.Layer.Digest))
            {
                throw new CreateInputException($"blob {GoText.Quote(layer.Layer.Digest.ToString())} not found");
            }
        }

        for (var i = 0; i < plan.ParsedFiles; i++)
        {
            await progress(new CreateProgress("parsing GGUF")).ConfigureAwait(false);
        }

        var layers = new List<CreateLayer>(plan.BaseLayers);
        if (plan.Quantize is { } target)
        {
            var index = layers.FindIndex(l => l.MediaType == MediaTypes.Model && l.Gguf is not null);
            layers[index] = await QuantizeAsync(layers[index], target, reservation, progress, cancellation).ConfigureAwait(false);
        }

        if (plan.DraftQuantize is { } draftTarget)
        {
            var index = layers.FindIndex(l => l.MediaType == MediaTypes.Draft && l.Gguf is not null);
            layers[index] = await QuantizeAsync(layers[index], draftTarget, reservation, progress, cancellation).ConfigureAwait(false);
        }

        var config = BuildConfig(layers, input);

        if (!string.IsNullOrEmpty(input.Template))
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.Template);
            layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(input.Template), MediaTypes.Template, reservation, cancellation).ConfigureAwait(false));
        }

        if (!string.IsNullOrEmpty(input.System))
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.System);
            layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(input.System), MediaTypes.System, reservation, cancellation).ConfigureAwait(false));
        }

        foreach (var license in input.Licenses)
        {
            layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(license), MediaTypes.License, reservation, cancellation).ConfigureAwait(false));
        }

        if (MergeParameters(layers, input.Parameters) is { } paramsJson)
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.Params);
            layers.Add(await TextLayerAsync(paramsJson, MediaTypes.Params, reservation, cancellation).ConfigureAwait(false));
        }

        if (input.Messages is { Count: > 0 } messages)
        {
            // New messages replace the inherited ones; none given keeps them.
            var list = messages.ToList();
            var json = JsonLine(JsonSerializer.SerializeToUtf8Bytes(list, StoreJsonContext.Default.ListManifestMessage));
            layers.RemoveAll(l => l.MediaType == MediaTypes.Messages);
            layers.Add(await TextLayerAsync(json, MediaTypes.Messages, reservation, cancellation).ConfigureAwait(false));
        }

        config.RootFs.DiffIds = layers.Select(l => l.Layer.Digest.ToString()).ToList();
        var configBytes = JsonLine(config.ToJsonBytes());
        reservation.Add(BlobDigest.Compute(configBytes));
        var configBlob = await store.Blobs.AddBytesAsync(configBytes, cancellation).ConfigureAwait(false);

        foreach (var layer in layers)
        {
            await progress(new CreateProgress(layer.Status)).ConfigureAwait(false);
        }

        await progress(new CreateProgress("writing manifest")).ConfigureAwait(false);
        var manifest = new Manifest
        {
            Config = new ManifestLayer { MediaType = MediaTypes.Config, Digest = configBlob.Digest, Size = configBlob.Size },
            Layers = layers.Select(l => l.Layer).ToList(),
        };
        store.WriteManifest(plan.Name, manifest, requireBlobs: true);

        await progress(new CreateProgress("success")).ConfigureAwait(false);
    }

    private IEnumerable<CreateLayer> FromModel(string from)
    {
        var source = ModelName.Parse(from);
        if (!source.IsValid)
        {
            throw new CreateInputException("invalid model name");
        }

        if (!store.TryGetManifest(source, out var stored))
        {
            throw new CreateSourceNotFoundException(from);
        }

        var parent = stored.Name.DisplayShortest();
        foreach (var layer in stored.Manifest.Layers)
        {
            if (!store.Blobs.Exists(layer.Digest))
            {
                throw new CreateFailedException($"model '{from}' is missing its blob {layer.Digest}");
            }

            var inherited = new ManifestLayer
            {
                MediaType = layer.MediaType,
                Digest = layer.Digest,
                Size = layer.Size,
                From = parent,
                Name = layer.Name,
                Dtype = layer.Dtype,
                Shape = layer.Shape,
            };
            var gguf = layer.MediaType is MediaTypes.Model or MediaTypes.Projector or MediaTypes.Adapter
                ? ReadGguf(store.Blobs.GetPath(layer.Digest), from, serverFault: true)
                : null;
            yield return new CreateLayer(inherited, gguf, $"using existing layer {layer.Digest}");
        }
    }

    /// <summary>
    /// The DRAFT model (<c>draft_files</c>, replacing an inherited one), checked to share the model's vocabulary, and
    /// the quantization asked for it (<c>draft_quantize</c>, F16 or F32 drafts only), as Ollama refuses them.
    /// </summary>
    private QuantizeTarget? AddDraft(CreateInput input, List<CreateLayer> layers, ref int parsed)
    {
        if (!string.IsNullOrEmpty(input.DraftQuantize) && input.DraftFiles is not { Count: > 0 })
        {
            throw new CreateInputException("--draft-quantize requires a DRAFT model");
        }

        if (input.DraftFiles is not { Count: > 0 } drafts)
        {
            return null;
        }

        if (drafts.Count > 1)
        {
            throw new CreateInputException("a DRAFT model must be a single GGUF file");
        }

        layers.RemoveAll(l => l.MediaType == MediaTypes.Draft);
        var (fileName, digest) = drafts.First();
        var draft = FromBlob(fileName, digest, adapter: false, draft: true);
        if (layers.FirstOrDefault(l => l.MediaType == MediaTypes.Model) is { } model)
        {
            DraftVocabulary.Check(store.Blobs.GetPath(model.Layer.Digest), store.Blobs.GetPath(draft.Layer.Digest));
        }

        layers.Add(draft);
        parsed++;
        if (string.IsNullOrEmpty(input.DraftQuantize))
        {
            return null;
        }

        var target = QuantizeTarget.Parse(input.DraftQuantize)!;
        var current = GgufFileTypes.Name(draft.Gguf!.FileType);
        if (current is not ("F16" or "F32"))
        {
            throw new CreateInputException($"draft quantization requires an unquantized draft model, got {current}");
        }

        return current == target.Name ? null : target;
    }

    /// <summary>An uploaded blob holding a GGUF: checked to exist and to parse before it becomes a layer.</summary>
    private CreateLayer FromBlob(string fileName, string digestText, bool adapter, bool draft = false)
    {
        if (!BlobDigest.TryParse(digestText, out var digest))
        {
            throw new CreateInputException(BlobDigest.InvalidFormatMessage);
        }

        var path = store.Blobs.GetPath(digest);
        var size = store.Blobs.TryGetSize(digest) ?? throw new CreateInputException($"blob {GoText.Quote(digestText)} not found");
        if (!HasGgufMagic(path))
        {
            throw new CreateInputException(fileName.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? "importing safetensors models is not supported; convert the model to GGUF first"
                : "supplied file was not in GGUF format");
        }

        var gguf = ReadGguf(path, fileName, serverFault: false, GgufIntegrity.ReadOptions);
        var mediaType = adapter ? MediaTypes.Adapter : draft ? MediaTypes.Draft : MediaTypeOf(gguf);

        // What would abort or fail llama.cpp on every load is refused now, before anything is stored, instead of
        // becoming a model whose every request is a 500. Adapters are checked against the model by the caller (GgufAdapterCheck).
        if (!adapter && GgufIntegrity.Describe(GgufIntegrity.FindProblems(gguf)) is { } why)
        {
            throw new CreateInputException($"invalid GGUF file '{fileName}': {why}");
        }

        // Ollama records where a file layer came from (the blob path); show reports it as parent_model.
        var layer = new ManifestLayer { MediaType = mediaType, Digest = digest, Size = size, From = path };
        return new CreateLayer(layer, gguf, $"using existing layer {digest}");
    }

    private static string MediaTypeOf(GgufFile gguf)
    {
        var kind = gguf.TryGetString("general.type", out var t) ? t : "unknown";
        if (kind == "adapter")
        {
            return MediaTypes.Adapter;
        }

        var arch = gguf.Architecture ?? "unknown";
        var blocks = gguf.TryGetUInt32(arch + "." + GgufKeys.BlockCountSuffix, out var b) ? b : 0;
        var visionBlocks = gguf.TryGetUInt32(arch + ".vision.block_count", out var v) ? v : 0;
        // llama.cpp's mmproj files are architecture "clip" (general.type "mmproj") and carry only vision blocks.
        var projector = kind is "projector" or "mmproj" || arch == "clip" || (blocks == 0 && visionBlocks == 0);
        return projector ? MediaTypes.Projector : MediaTypes.Model;
    }

    private static bool HasGgufMagic(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }

    /// <summary>
    /// Reads a GGUF header; a malformed or hostile file becomes a clear error, never a crash: the request's fault for
    /// an upload, the server's for a file already in the store (<paramref name="serverFault"/>).
    /// </summary>
    private static GgufFile ReadGguf(string path, string what, bool serverFault, GgufReadOptions? options = null)
    {
        try
        {
            return GgufReader.Read(path, options ?? GgufReadOptions.MetadataOnly);
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or InvalidDataException or OverflowException or ArgumentException or InvalidOperationException or OutOfMemoryException)
        {
            var message = $"invalid GGUF file '{what}': {ex.Message}";
            throw serverFault ? new CreateFailedException(message) : new CreateInputException(message);
        }
    }

    private static QuantizeTarget? CheckQuantizable(List<CreateLayer> layers, QuantizeTarget target)
    {
        var weights = layers.FirstOrDefault(l => l.MediaType == MediaTypes.Model && l.Gguf is not null);
        if (weights is null)
        {
            return null;
        }

        var current = GgufFileTypes.Name(weights.Gguf!.FileType);
        if (current is not ("F16" or "F32"))
        {
            throw new CreateInputException("quantization is only supported for F16 and F32 models");
        }

        return current == target.Name ? null : target;
    }

    private async Task<CreateLayer> QuantizeAsync(
        CreateLayer source, QuantizeTarget target, BlobReservation reservation, Func<CreateProgress, Task> progress, CancellationToken cancellation)
    {
        var status = $"quantizing {GgufFileTypes.Name(source.Gguf!.FileType)} model to {target.Name}";
        var total = source.Layer.Size;
        await progress(new CreateProgress(status, QuantizeProgressDigest, total)).ConfigureAwait(false);

        var sourcePath = store.Blobs.GetPath(source.Layer.Digest);
        var outputPath = Path.Combine(store.Blobs.Directory, $".quantize-{Guid.NewGuid():N}.tmp");
        var reported = 0L;
        try
        {
            await quantizer.QuantizeAsync(
                sourcePath,
                outputPath,
                target,
                async fraction =>
                {
                    var completed = (long)(total * fraction);
                    if (completed > reported && completed < total)
                    {
                        reported = completed;
                        await progress(new CreateProgress(status, QuantizeProgressDigest, total, completed)).ConfigureAwait(false);
                    }
                },
                cancellation).ConfigureAwait(false);

            await progress(new CreateProgress(status, QuantizeProgressDigest, total, total)).ConfigureAwait(false);
            await progress(new CreateProgress("verifying conversion")).ConfigureAwait(false);
            var gguf = ReadGguf(outputPath, "quantized model", serverFault: true);
            var blob = await store.Blobs.AddFileAsync(outputPath, cancellation).ConfigureAwait(false);
            reservation.Add(blob.Digest);
            if (!store.Blobs.Exists(blob.Digest))
            {
                // Its digest is only known once stored; a prune that removed the same bytes just before the reservation is undone.
                blob = await store.Blobs.AddFileAsync(outputPath, cancellation).ConfigureAwait(false);
            }

            var layer = new ManifestLayer { MediaType = source.MediaType, Digest = blob.Digest, Size = blob.Size };
            return new CreateLayer(layer, gguf, $"creating new layer {blob.Digest}");
        }
        finally
        {
            // The quantizer leaves nothing on failure; this covers a failure after it (and one that broke its word).
            File.Delete(outputPath);
        }
    }

    /// <summary>The config blob: format, family and sizes from the first GGUF layer, every GGUF layer's family.</summary>
    private static ModelConfig BuildConfig(List<CreateLayer> layers, CreateInput input)
    {
        var config = new ModelConfig
        {
            OS = "linux",
            Architecture = "amd64",
            RootFs = new RootFs { Type = "layers" },
            Renderer = string.IsNullOrEmpty(input.Renderer) ? null : input.Renderer,
            Parser = string.IsNullOrEmpty(input.Parser) ? null : input.Parser,
        };
        var families = new List<string>();
        foreach (var layer in layers)
        {
            if (layer.Gguf is not { } gguf || layer.MediaType == MediaTypes.Draft)
            {
                continue; // the draft model is not what the model is
            }

            var arch = gguf.Architecture ?? "unknown";
            config.ModelFormat = Or(config.ModelFormat, "gguf");
            config.ModelFamily = Or(config.ModelFamily, arch);
            config.ModelType = Or(config.ModelType, HumanNumber.Format(gguf.ParameterCount));
            config.FileType = Or(config.FileType, GgufFileTypes.Name(gguf.FileType));
            families.Add(arch);
        }

        config.ModelFamilies = families.Count > 0 ? families : null;
        return config;
    }

    private static string Or(string current, string next) => string.IsNullOrEmpty(current) ? next : current;

    /// <summary>Stores a small layer (template, system, params...) and says whether it was new.</summary>
    private async Task<CreateLayer> TextLayerAsync(byte[] content, string mediaType, BlobReservation reservation, CancellationToken cancellation)
    {
        var digest = BlobDigest.Compute(content);
        reservation.Add(digest);
        var existed = store.Blobs.TryGetSize(digest) == content.Length;
        var blob = await store.Blobs.AddBytesAsync(content, cancellation).ConfigureAwait(false);
        var layer = new ManifestLayer { MediaType = mediaType, Digest = blob.Digest, Size = blob.Size };
        return new CreateLayer(layer, null, $"{(existed ? "using existing" : "creating new")} layer {blob.Digest}");
    }

    /// <summary>Inherited parameters overlaid with the input's (the input wins per key); null when there are none.</summary>
    private byte[]? MergeParameters(List<CreateLayer> layers, IReadOnlyDictionary<string, JsonElement>? requestedParameters)
    {
        var merged = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var layer in layers.Where(l => l.MediaType == MediaTypes.Params))
        {
            if (store.ReadText(layer.Layer) is not { } text)
            {
                continue;
            }

            var existing = JsonSerializer.Deserialize(text, StoreJsonContext.Default.DictionaryStringJsonElement) ?? [];
            foreach (var (key, value) in existing)
            {
                merged.TryAdd(key, value);
            }
        }

        foreach (var (key, value) in requestedParameters ?? EmptyParameters)
        {
            merged[key] = value;
        }

        if (merged.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in merged)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return JsonLine(buffer.WrittenSpan.ToArray());
    }

    private void CheckTemplate(string? template)
    {
        if (!string.IsNullOrEmpty(template) && checks.TemplateError(template) is { } error)
        {
            throw new CreateInputException($"template error: {error}");
        }
    }

    private void CheckParameters(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        if (parameters is not null && checks.ParametersError(parameters) is { } error)
        {
            throw new CreateInputException(error);
        }
    }

    /// <summary>Go's fs.ValidPath: unrooted, slash-separated, no empty, "." or ".." elements.</summary>
    private static bool IsRelativePath(string path)
    {
        if (path == ".")
        {
            return true;
        }

        if (path.Length == 0 || path.Contains('\0'))
        {
            return false;
        }

        foreach (var element in path.Split('/'))
        {
            if (element is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Go's json.Encoder ends each value with a newline; blobs written the same way hash the same.</summary>
    private static byte[] JsonLine(byte[] json)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
