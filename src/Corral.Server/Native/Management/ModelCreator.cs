using System.Buffers;
using System.Text;
using System.Text.Json;
using Corral.Api.Native;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Runner.Quantizing;
using Corral.Server.Http;
using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Native.Management;

/// <summary>
/// Ollama's model creation: base layers from an existing model or from uploaded GGUF blobs, optional
/// quantization, then template/system/license/params/messages layers, a config blob and an atomic
/// manifest write. <see cref="Prepare"/> does every check that can fail on bad input, so those
/// failures get a status code before any progress is streamed. Every blob the new manifest will use
/// is reserved in the store (<see cref="BlobReservation"/>) before it is checked or written, so a
/// concurrent delete or re-pull cannot prune it before the manifest exists; writing the manifest
/// prunes the layers only the replaced model used (unless OLLAMA_NOPRUNE).
/// </summary>
internal sealed class ModelCreator(ModelStore store)
{
    private const string QuantizeProgressDigest = "0000000000000000000";

    public CreatePlan Prepare(CreateRequest request)
    {
        var name = ModelName.Parse(request.ResolveModel());
        if (!name.IsValid)
        {
            throw ApiException.BadRequest("invalid model name");
        }

        foreach (var file in (request.Files?.Keys ?? Enumerable.Empty<string>()).Concat(request.Adapters?.Keys ?? Enumerable.Empty<string>()).Concat(request.DraftFiles?.Keys ?? Enumerable.Empty<string>()))
        {
            if (!IsRelativePath(file))
            {
                throw ApiException.BadRequest("file path must be relative");
            }
        }

        var quantize = QuantizeTarget.Parse(!string.IsNullOrEmpty(request.Quantize) ? request.Quantize : request.Quantization);
        var layers = new List<CreateLayer>();
        var parsed = 0;
        if (!string.IsNullOrEmpty(request.From))
        {
            layers.AddRange(FromModel(request.From));
        }
        else if (request.Files is { Count: > 0 } files)
        {
            foreach (var (fileName, digest) in files)
            {
                layers.Add(FromBlob(fileName, digest, adapter: false));
                parsed++;
            }
        }
        else if (request.Files is not null)
        {
            throw ApiException.BadRequest("no files provided to convert");
        }
        else
        {
            throw ApiException.BadRequest("neither 'from' or 'files' was specified");
        }

        if (request.Adapters is { Count: > 0 } adapters)
        {
            // Several adapters are applied together (Ollama takes one); their order is their id in a request's lora list.
            if (adapters.Keys.FirstOrDefault(f => f.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) is { } safetensors)
            {
                throw ApiException.BadRequest($"importing safetensors adapters is not supported ('{safetensors}'); convert the adapter to GGUF first (llama.cpp's convert_lora_to_gguf.py)");
            }

            var model = layers.FirstOrDefault(l => l.MediaType == MediaTypes.Model && l.Gguf is not null)?.Gguf;
            foreach (var (fileName, digest) in adapters)
            {
                var adapter = FromBlob(fileName, digest, adapter: true);
                if (model is not null && GgufAdapterCheck.FindProblem(adapter.Gguf!, model) is { } problem)
                {
                    throw ApiException.BadRequest($"invalid adapter '{fileName}': {problem}");
                }

                layers.Add(adapter);
                parsed++;
            }
        }

        var draftQuantize = AddDraft(request, layers, ref parsed);
        ValidateTemplate(request.Template);
        ValidateParameters(request.Parameters);
        return new CreatePlan
        {
            Name = name,
            Request = request,
            BaseLayers = layers,
            ParsedFiles = parsed,
            Quantize = quantize is null ? null : CheckQuantizable(layers, quantize),
            DraftQuantize = draftQuantize,
        };
    }

    public async Task ExecuteAsync(CreatePlan plan, Func<ProgressResponse, Task> progress, CancellationToken cancellation)
    {
        var request = plan.Request;
        using var reservation = store.ReserveBlobs(plan.BaseLayers.Select(l => l.Layer.Digest));
        foreach (var layer in plan.BaseLayers)
        {
            // Checked by Prepare, but a delete may have pruned it before the reservation was taken.
            if (!store.Blobs.Exists(layer.Layer.Digest))
            {
                throw ApiException.BadRequest($"blob {GoText.Quote(layer.Layer.Digest.ToString())} not found");
            }
        }

        for (var i = 0; i < plan.ParsedFiles; i++)
        {
            await progress(new ProgressResponse { Status = "parsing GGUF" }).ConfigureAwait(false);
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

        var config = BuildConfig(layers, request);

        if (!string.IsNullOrEmpty(request.Template))
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.Template);
            layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(request.Template), MediaTypes.Template, reservation, cancellation).ConfigureAwait(false));
        }

        if (!string.IsNullOrEmpty(request.System))
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.System);
            layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(request.System), MediaTypes.System, reservation, cancellation).ConfigureAwait(false));
        }

        foreach (var license in request.License?.Values ?? [])
        {
            if (!string.IsNullOrEmpty(license) || request.License!.IsArray)
            {
                layers.Add(await TextLayerAsync(Encoding.UTF8.GetBytes(license), MediaTypes.License, reservation, cancellation).ConfigureAwait(false));
            }
        }

        if (MergeParameters(layers, request.Parameters) is { } paramsJson)
        {
            layers.RemoveAll(l => l.MediaType == MediaTypes.Params);
            layers.Add(await TextLayerAsync(paramsJson, MediaTypes.Params, reservation, cancellation).ConfigureAwait(false));
        }

        if (request.Messages is { Count: > 0 } messages)
        {
            // New messages replace the inherited ones; none given keeps them.
            var list = messages.Select(m => new ManifestMessage(m.Role, m.Content)).ToList();
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
            await progress(new ProgressResponse { Status = layer.Status }).ConfigureAwait(false);
        }

        await progress(new ProgressResponse { Status = "writing manifest" }).ConfigureAwait(false);
        var manifest = new Manifest
        {
            Config = new ManifestLayer { MediaType = MediaTypes.Config, Digest = configBlob.Digest, Size = configBlob.Size },
            Layers = layers.Select(l => l.Layer).ToList(),
        };
        store.WriteManifest(plan.Name, manifest, requireBlobs: true);

        await progress(new ProgressResponse { Status = "success" }).ConfigureAwait(false);
    }

    private IEnumerable<CreateLayer> FromModel(string from)
    {
        var source = ModelName.Parse(from);
        if (!source.IsValid)
        {
            throw ApiException.BadRequest("invalid model name");
        }

        if (!store.TryGetManifest(source, out var stored))
        {
            throw ApiException.NotFound($"model '{from}' not found");
        }

        var parent = stored.Name.DisplayShortest();
        foreach (var layer in stored.Manifest.Layers)
        {
            if (!store.Blobs.Exists(layer.Digest))
            {
                throw new ApiException(StatusCodes.Status500InternalServerError, $"model '{from}' is missing its blob {layer.Digest}");
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
                ? ReadGguf(store.Blobs.GetPath(layer.Digest), from, StatusCodes.Status500InternalServerError)
                : null;
            yield return new CreateLayer(inherited, gguf, $"using existing layer {layer.Digest}");
        }
    }

    /// <summary>
    /// The DRAFT model (<c>draft_files</c>, replacing an inherited one), checked to share the model's vocabulary, and
    /// the quantization asked for it (<c>draft_quantize</c>, F16 or F32 drafts only), as Ollama refuses them.
    /// </summary>
    private QuantizeTarget? AddDraft(CreateRequest request, List<CreateLayer> layers, ref int parsed)
    {
        if (!string.IsNullOrEmpty(request.DraftQuantize) && request.DraftFiles is not { Count: > 0 })
        {
            throw ApiException.BadRequest("--draft-quantize requires a DRAFT model");
        }

        if (request.DraftFiles is not { Count: > 0 } drafts)
        {
            return null;
        }

        if (drafts.Count > 1)
        {
            throw ApiException.BadRequest("a DRAFT model must be a single GGUF file");
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
        if (string.IsNullOrEmpty(request.DraftQuantize))
        {
            return null;
        }

        var target = QuantizeTarget.Parse(request.DraftQuantize)!;
        var current = GgufFileTypes.Name(draft.Gguf!.FileType);
        if (current is not ("F16" or "F32"))
        {
            throw ApiException.BadRequest($"draft quantization requires an unquantized draft model, got {current}");
        }

        return current == target.Name ? null : target;
    }

    /// <summary>An uploaded blob holding a GGUF: checked to exist and to parse before it becomes a layer.</summary>
    private CreateLayer FromBlob(string fileName, string digestText, bool adapter, bool draft = false)
    {
        if (!BlobDigest.TryParse(digestText, out var digest))
        {
            throw ApiException.BadRequest(BlobEndpoints.InvalidDigest);
        }

        var path = store.Blobs.GetPath(digest);
        var size = store.Blobs.TryGetSize(digest) ?? throw ApiException.BadRequest($"blob {GoText.Quote(digestText)} not found");
        if (!HasGgufMagic(path))
        {
            throw ApiException.BadRequest(fileName.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? "importing safetensors models is not supported; convert the model to GGUF first"
                : "supplied file was not in GGUF format");
        }

        var gguf = ReadGguf(path, fileName, StatusCodes.Status400BadRequest, GgufIntegrity.ReadOptions);
        var mediaType = adapter ? MediaTypes.Adapter : draft ? MediaTypes.Draft : MediaTypeOf(gguf);

        // What would abort or fail llama.cpp on every load is refused now, before anything is stored, instead of
        // becoming a model whose every request is a 500. Adapters are checked against the model by the caller (GgufAdapterCheck).
        if (!adapter && GgufIntegrity.Describe(GgufIntegrity.FindProblems(gguf)) is { } why)
        {
            throw ApiException.BadRequest($"invalid GGUF file '{fileName}': {why}");
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

    /// <summary>Reads a GGUF header; a malformed or hostile file becomes a clear error, never a crash.</summary>
    private static GgufFile ReadGguf(string path, string what, int status, GgufReadOptions? options = null)
    {
        try
        {
            return GgufReader.Read(path, options ?? GgufReadOptions.MetadataOnly);
        }
        catch (GgufFormatException ex)
        {
            throw new ApiException(status, $"invalid GGUF file '{what}': {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or OverflowException or ArgumentException or InvalidOperationException or OutOfMemoryException)
        {
            throw new ApiException(status, $"invalid GGUF file '{what}': {ex.Message}");
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
            throw ApiException.BadRequest("quantization is only supported for F16 and F32 models");
        }

        return current == target.Name ? null : target;
    }

    private async Task<CreateLayer> QuantizeAsync(
        CreateLayer source, QuantizeTarget target, BlobReservation reservation, Func<ProgressResponse, Task> progress, CancellationToken cancellation)
    {
        var status = $"quantizing {GgufFileTypes.Name(source.Gguf!.FileType)} model to {target.Name}";
        var total = source.Layer.Size;
        await progress(new ProgressResponse { Status = status, Digest = QuantizeProgressDigest, Total = total }).ConfigureAwait(false);

        var input = store.Blobs.GetPath(source.Layer.Digest);
        var output = Path.Combine(store.Blobs.Directory, $".quantize-{Guid.NewGuid():N}.tmp");
        var reported = 0L;
        try
        {
            // In a child process: a native crash there cannot take the server down, and a client that goes away
            // (cancellation) kills it. It deletes the output itself on failure or cancellation.
            await QuantizeProcess.RunAsync(
                new QuantizeLaunchOptions { InputPath = input, OutputPath = output, FileType = target.FileType },
                async fraction =>
                {
                    var completed = (long)(total * fraction);
                    if (completed > reported && completed < total)
                    {
                        reported = completed;
                        await progress(new ProgressResponse { Status = status, Digest = QuantizeProgressDigest, Total = total, Completed = completed }).ConfigureAwait(false);
                    }
                },
                cancellation).ConfigureAwait(false);
        }
        catch (QuantizeFailedException ex)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, ex.Message);
        }

        try
        {
            await progress(new ProgressResponse { Status = status, Digest = QuantizeProgressDigest, Total = total, Completed = total }).ConfigureAwait(false);
            await progress(new ProgressResponse { Status = "verifying conversion" }).ConfigureAwait(false);
            var gguf = ReadGguf(output, "quantized model", StatusCodes.Status500InternalServerError);
            var blob = await store.Blobs.AddFileAsync(output, cancellation).ConfigureAwait(false);
            reservation.Add(blob.Digest);
            if (!store.Blobs.Exists(blob.Digest))
            {
                // Its digest is only known once stored; a prune that removed the same bytes just before the reservation is undone.
                blob = await store.Blobs.AddFileAsync(output, cancellation).ConfigureAwait(false);
            }

            var layer = new ManifestLayer { MediaType = source.MediaType, Digest = blob.Digest, Size = blob.Size };
            return new CreateLayer(layer, gguf, $"creating new layer {blob.Digest}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The config blob: format, family and sizes from the first GGUF layer, every GGUF layer's family.</summary>
    private static ModelConfig BuildConfig(List<CreateLayer> layers, CreateRequest request)
    {
        var config = new ModelConfig
        {
            OS = "linux",
            Architecture = "amd64",
            RootFs = new RootFs { Type = "layers" },
            Renderer = string.IsNullOrEmpty(request.Renderer) ? null : request.Renderer,
            Parser = string.IsNullOrEmpty(request.Parser) ? null : request.Parser,
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

    /// <summary>Inherited parameters overlaid with the request's (request wins per key); null when there are none.</summary>
    private byte[]? MergeParameters(List<CreateLayer> layers, Dictionary<string, JsonElement>? requested)
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

        foreach (var (key, value) in requested ?? [])
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

    private static void ValidateTemplate(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            return;
        }

        try
        {
            GoTemplate.Parse(template, "", OllamaTemplateFunctions.All);
        }
        catch (TemplateParseException ex)
        {
            throw ApiException.BadRequest($"template error: {ex.Message}");
        }
    }

    private static void ValidateParameters(Dictionary<string, JsonElement>? parameters)
    {
        if (parameters is null)
        {
            return;
        }

        try
        {
            ModelOptions.FromMap(parameters);
        }
        catch (ArgumentException ex)
        {
            var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw ApiException.BadRequest(message);
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
