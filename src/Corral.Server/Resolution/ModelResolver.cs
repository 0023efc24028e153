using System.Collections.Concurrent;
using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Server.Http;

namespace Corral.Server.Resolution;

/// <summary>
/// Turns a model name from a request into a <see cref="ResolvedModel"/>: validates the name,
/// finds the manifest (case-insensitively), reads its layers and the GGUF header. Results are
/// cached per manifest digest, so a model rewritten by create/pull is read afresh.
/// </summary>
public sealed class ModelResolver(ModelStore store)
{
    private readonly ConcurrentDictionary<string, ResolvedModel> _cache = new(StringComparer.Ordinal);

    public ModelStore Store { get; } = store;

    /// <summary>Parses and validates a model name from a request (400 when invalid or missing).</summary>
    public static ModelName ParseName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ApiException.BadRequest("model is required");
        }

        // Ollama's exact words, without the name: clients match on them.
        var parsed = ModelName.Parse(name);
        return parsed.IsValid ? parsed : throw ApiException.BadRequest("invalid model name");
    }

    /// <summary>Finds and reads a model (404 "model 'x' not found" when absent, as Ollama says it).</summary>
    public ResolvedModel Resolve(string? name) => Resolve(name, $"model '{name}' not found");

    /// <summary>Finds and reads a model, answering 404 with <paramref name="notFound"/> when it is absent.</summary>
    /// <param name="name">The model name as the request gave it.</param>
    /// <param name="notFound">Ollama words a missing model differently on some routes (its embed handlers go through the scheduler's error path).</param>
    public ResolvedModel Resolve(string? name, string notFound)
    {
        var parsed = ParseName(name);
        if (!Store.TryGetManifest(parsed, out var stored))
        {
            throw ApiException.NotFound(notFound);
        }

        return Resolve(stored);
    }

    /// <summary>Reads a model the store listed (cached like <see cref="Resolve(string?)"/>); 500 when it is broken.</summary>
    public ResolvedModel Resolve(StoredModel stored)
    {
        var key = stored.ManifestPath + "@" + stored.ManifestDigest;
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = Read(stored.Name, stored);
        _cache[key] = resolved;
        return resolved;
    }

    private ResolvedModel Read(ModelName name, StoredModel stored)
    {
        var manifest = stored.Manifest;
        var config = TryReadConfig(manifest);
        var modelLayer = manifest.FindLayer(MediaTypes.Model)
            ?? throw new ApiException(500, $"model '{name.DisplayShortest()}' has no weights layer");
        var modelPath = Store.Blobs.GetPath(modelLayer.Digest);
        if (!File.Exists(modelPath))
        {
            throw new ApiException(500, $"model '{name.DisplayShortest()}' is missing its weights blob {modelLayer.Digest}");
        }

        GgufFile gguf;
        try
        {
            gguf = GgufReader.Read(modelPath, GgufReadOptions.MetadataOnly);
        }
        catch (GgufFormatException ex)
        {
            throw new ApiException(500, ex.Message);
        }

        var template = ReadLayerText(manifest, MediaTypes.Template);
        var projector = manifest.FindLayer(MediaTypes.Projector);
        var parameters = new ModelOptions();
        if (ReadLayerText(manifest, MediaTypes.Params) is { } paramsJson)
        {
            var map = JsonSerializer.Deserialize(paramsJson, OllamaJsonContext.Default.DictionaryStringJsonElement) ?? [];
            parameters = ModelOptions.FromMap(map, ignoreUnknown: true);
        }

        var messages = new List<ManifestMessage>();
        if (ReadLayerText(manifest, MediaTypes.Messages) is { } messagesJson)
        {
            messages.AddRange(JsonSerializer.Deserialize(messagesJson, StoreJsonContext.Default.ListManifestMessage) ?? []);
        }

        var isEmbedding = IsEmbedding(gguf);
        var isRerank = IsRerank(gguf);
        return new ResolvedModel
        {
            Name = name,
            Stored = stored,
            Config = config,
            ModelPath = modelPath,
            ProjectorPath = projector is null ? null : Store.Blobs.GetPath(projector.Digest),
            DraftPath = manifest.FindLayer(MediaTypes.Draft) is { } draft ? Store.Blobs.GetPath(draft.Digest) : null,
            AdapterPaths = manifest.Layers.Where(l => l.MediaType == MediaTypes.Adapter).Select(l => Store.Blobs.GetPath(l.Digest)).ToList(),
            Template = template,
            System = ReadLayerText(manifest, MediaTypes.System),
            Licenses = manifest.Layers.Where(l => l.MediaType == MediaTypes.License).Select(l => Store.ReadText(l) ?? string.Empty).ToList(),
            Parameters = parameters,
            Messages = messages,
            Gguf = gguf,
            IsEmbeddingModel = isEmbedding,
            IsRerankModel = isRerank,
            Capabilities = Capabilities(gguf, template, isEmbedding, isRerank, projector is not null, config),
        };
    }

    private ModelConfig TryReadConfig(Manifest manifest)
    {
        try
        {
            return Store.ReadConfig(manifest);
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException)
        {
            return new ModelConfig();
        }
    }

    private string? ReadLayerText(Manifest manifest, string mediaType) =>
        manifest.FindLayer(mediaType) is { } layer ? Store.ReadText(layer) : null;

    /// <summary>Embedding models declare a pooling type, or are encoder-only BERT-family architectures.</summary>
    private static bool IsEmbedding(GgufFile gguf)
    {
        var arch = gguf.Architecture ?? string.Empty;
        return gguf.Metadata.ContainsKey(arch + ".pooling_type") || arch is "bert" or "nomic-bert" or "jina-bert-v2" or "t5encoder";
    }

    /// <summary>
    /// Rerankers declare llama.cpp's rank pooling (LLAMA_POOLING_TYPE_RANK = 4), which runs the GGUF's
    /// classification head; only such models can score (query, document) pairs.
    /// </summary>
    private static bool IsRerank(GgufFile gguf) =>
        gguf.Architecture is { } arch && gguf.TryGetUInt32(arch + "." + GgufKeys.PoolingTypeSuffix, out var pooling) && pooling == 4;

    private static List<string> Capabilities(GgufFile gguf, string? template, bool embedding, bool rerank, bool vision, ModelConfig config)
    {
        var caps = new List<string>();
        if (rerank)
        {
            // Not one of Ollama's capabilities (Ollama has no rerank); a reranker has no embeddings to offer.
            caps.Add("rerank");
        }
        else if (embedding)
        {
            caps.Add("embedding");
        }
        else
        {
            caps.Add("completion");
        }

        var t = template ?? string.Empty;
        var jinja = gguf.TryGetString(GgufKeys.ChatTemplate, out var ct) ? ct : string.Empty;
        if (!embedding && (t.Contains(".Tools", StringComparison.Ordinal) || jinja.Contains("tools", StringComparison.Ordinal)))
        {
            caps.Add("tools");
        }

        if (!embedding && t.Contains(".Suffix", StringComparison.Ordinal))
        {
            caps.Add("insert");
        }

        if (vision)
        {
            caps.Add("vision");
        }

        if (!embedding && (t.Contains(".Think", StringComparison.Ordinal) || jinja.Contains("<think>", StringComparison.Ordinal)))
        {
            caps.Add("thinking");
        }

        foreach (var c in config.Capabilities ?? [])
        {
            if (!caps.Contains(c))
            {
                caps.Add(c);
            }
        }

        return caps;
    }
}
