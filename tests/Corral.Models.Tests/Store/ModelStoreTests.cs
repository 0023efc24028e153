using System.Text;
using System.Text.Json;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Tests.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private ModelStore NewStore(bool noPrune = false) => new(_temp.Root, noPrune);

    /// <summary>Writes a blob the way Ollama does: plain file blobs/sha256-hex.</summary>
    private BlobDigest WriteOllamaBlob(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = BlobDigest.Compute(bytes);
        Directory.CreateDirectory(Path.Combine(_temp.Root, "blobs"));
        File.WriteAllBytes(Path.Combine(_temp.Root, "blobs", "sha256-" + digest.Hex), bytes);
        return digest;
    }

    /// <summary>A manifest exactly as Go's json.Encoder writes Ollama's ManifestV2.</summary>
    private byte[] WriteOllamaManifest(string relativePath, params (string MediaType, BlobDigest Digest, long Size)[] layers)
    {
        var config = WriteOllamaBlob(
            "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],\"model_type\":\"1.2B\","
            + "\"file_type\":\"Q4_K_M\",\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layerJson = string.Join(",", layers.Select(l =>
            $"{{\"mediaType\":\"{l.MediaType}\",\"digest\":\"{l.Digest}\",\"size\":{l.Size}}}"));
        var json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                   + $"\"config\":{{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"{config}\",\"size\":{new FileInfo(Path.Combine(_temp.Root, "blobs", config.FileName)).Length}}},"
                   + $"\"layers\":[{layerJson}]}}\n";
        var path = Path.Combine(_temp.Root, "manifests", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(json);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    private (string, BlobDigest, long) Layer(string mediaType, string content) =>
        (mediaType, WriteOllamaBlob(content), Encoding.UTF8.GetByteCount(content));

    private Manifest NewManifest(string weights)
    {
        var store = NewStore();
        var model = store.Blobs.AddBytesAsync(Encoding.UTF8.GetBytes(weights)).GetAwaiter().GetResult();
        var config = store.Blobs.AddBytesAsync(new ModelConfig { ModelFormat = "gguf", ModelFamily = "llama" }.ToJsonBytes()).GetAwaiter().GetResult();
        return new Manifest
        {
            Config = new ManifestLayer { MediaType = MediaTypes.Config, Digest = config.Digest, Size = config.Size },
            Layers = [new ManifestLayer { MediaType = MediaTypes.Model, Digest = model.Digest, Size = model.Size }],
        };
    }

    [Fact]
    public void ReadsAStoreWrittenByOllama()
    {
        var weights = Layer(MediaTypes.Model, "GGUF weights");
        var template = Layer(MediaTypes.Template, "{{ .Prompt }}");
        var bytes = WriteOllamaManifest(Path.Combine("registry.ollama.ai", "library", "llama3.2", "latest"), weights, template);
        var store = NewStore();

        var model = Assert.Single(store.ListModels());

        Assert.Equal("llama3.2:latest", model.Name.DisplayShortest());
        Assert.Equal(BlobDigest.Compute(bytes), model.ManifestDigest);
        Assert.Equal(2, model.Manifest.Layers.Count);
        Assert.Equal(weights.Item3 + template.Item3 + model.Manifest.Config.Size, model.Size);
        Assert.Equal("{{ .Prompt }}", store.ReadText(model.Manifest.FindLayer(MediaTypes.Template)!));
        var config = store.ReadConfig(model.Manifest);
        Assert.Equal("gguf", config.ModelFormat);
        Assert.Equal(["llama"], config.ModelFamilies!);
        Assert.Equal("Q4_K_M", config.FileType);
        Assert.True((DateTimeOffset.UtcNow - model.ModifiedAt).Duration() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void LooksUpNamesIgnoringCaseAndReportsTheDiskCase()
    {
        WriteOllamaManifest(Path.Combine("registry.ollama.ai", "library", "Llama3", "Latest"), Layer(MediaTypes.Model, "w"));
        var store = NewStore();

        Assert.True(store.TryGetManifest(ModelName.Parse("llama3"), out var found));
        Assert.Equal("Llama3", found.Name.Model);
        Assert.Equal("Latest", found.Name.Tag);
        Assert.True(store.TryGetManifest(ModelName.Parse("REGISTRY.OLLAMA.AI/LIBRARY/LLAMA3:LATEST"), out _));
        Assert.False(store.TryGetManifest(ModelName.Parse("llama3:8b"), out _));
        Assert.Throws<ModelNotFoundException>(() => store.GetManifest(ModelName.Parse("llama4")));
    }

    [Fact]
    public void WriteProducesJsonOllamaReadsAndReusesCaseVariants()
    {
        WriteOllamaManifest(Path.Combine("registry.ollama.ai", "library", "Mixed", "latest"), Layer(MediaTypes.Model, "w"));
        var store = NewStore();
        var manifest = NewManifest("weights");

        var written = store.WriteManifest(ModelName.Parse("mixed"), manifest);

        Assert.Equal("Mixed", written.Name.Model);
        Assert.Single(Directory.GetDirectories(Path.Combine(store.ManifestsDirectory, "registry.ollama.ai", "library")));
        var bytes = File.ReadAllBytes(written.ManifestPath);
        Assert.Equal((byte)'\n', bytes[^1]);
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(MediaTypes.Manifest, root.GetProperty("mediaType").GetString());
        Assert.Equal(MediaTypes.Config, root.GetProperty("config").GetProperty("mediaType").GetString());
        var layer = root.GetProperty("layers")[0];
        Assert.Equal(manifest.Layers[0].Digest.ToString(), layer.GetProperty("digest").GetString());
        Assert.Equal(manifest.Layers[0].Size, layer.GetProperty("size").GetInt64());
        Assert.False(layer.TryGetProperty("from", out _));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(written.ManifestPath)!, ".*"));
    }

    [Fact]
    public void ModelConfigWritesGoFieldsAndOmitsEmptyOptionalOnes()
    {
        using var json = JsonDocument.Parse(new ModelConfig { ModelFormat = "gguf" }.ToJsonBytes());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["model_format", "model_family", "model_families", "model_type", "file_type", "architecture", "os", "rootfs"], names);
        var withExtras = new ModelConfig { Capabilities = ["completion", "tools"], Renderer = "r", Parser = "p", ContextLength = 8 };
        var roundTrip = ModelConfig.Parse(withExtras.ToJsonBytes());
        Assert.Equal(["completion", "tools"], roundTrip.Capabilities!);
        Assert.Equal("r", roundTrip.Renderer);
        Assert.Equal(8, roundTrip.ContextLength);
    }

    [Fact]
    public void CopyKeepsBytesAndDeletePrunesOnlyUnsharedBlobs()
    {
        var store = NewStore();
        var manifest = NewManifest("shared weights");
        var source = store.WriteManifest(ModelName.Parse("a"), manifest);

        var copy = store.Copy(ModelName.Parse("a"), ModelName.Parse("me/b:v1"));
        Assert.Equal(source.ManifestDigest, copy.ManifestDigest);
        Assert.Equal(2, store.ListModels().Count);

        Assert.True(store.Delete(ModelName.Parse("A")));
        Assert.True(store.Blobs.Exists(manifest.Layers[0].Digest));
        Assert.False(Directory.Exists(Path.Combine(store.ManifestsDirectory, "registry.ollama.ai", "library")));

        Assert.True(store.Delete(ModelName.Parse("me/b:v1")));
        Assert.False(store.Blobs.Exists(manifest.Layers[0].Digest));
        Assert.False(store.Blobs.Exists(manifest.Config.Digest));
        Assert.Empty(store.ListModels());
        Assert.Empty(Directory.GetDirectories(store.ManifestsDirectory));
        Assert.False(store.Delete(ModelName.Parse("a")));
    }

    [Fact]
    public void NoPruneKeepsBlobsOnDelete()
    {
        var store = NewStore(noPrune: true);
        var manifest = NewManifest("kept");
        store.WriteManifest(ModelName.Parse("a"), manifest);

        Assert.True(store.Delete(ModelName.Parse("a")));

        Assert.True(store.Blobs.Exists(manifest.Layers[0].Digest));
    }

    [Fact]
    public void CopyOfMissingModelThrows() =>
        Assert.Throws<ModelNotFoundException>(() => NewStore().Copy(ModelName.Parse("nope"), ModelName.Parse("b")));

    [Fact]
    public async Task PruneRemovesUnreferencedBlobsAndStalePartialsOnly()
    {
        var store = NewStore();
        var kept = NewManifest("kept");
        store.WriteManifest(ModelName.Parse("kept"), kept);
        var orphan = await store.Blobs.AddBytesAsync("orphan"u8.ToArray());

        // A manifest in a layout we do not list (Ollama's newer host/ns/kind/model/tag) still protects its blobs.
        var deep = await store.Blobs.AddBytesAsync("deep"u8.ToArray());
        var deepManifest = new Manifest
        {
            Config = kept.Config,
            Layers = [new ManifestLayer { MediaType = MediaTypes.Model, Digest = deep.Digest, Size = deep.Size }],
        };
        var deepPath = Path.Combine(store.ManifestsDirectory, "registry.ollama.ai", "library", "skill", "x", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(deepPath)!);
        File.WriteAllBytes(deepPath, deepManifest.ToJsonBytes());

        var stale = Path.Combine(store.Blobs.Directory, orphan.Digest.FileName + "-partial-0");
        var fresh = Path.Combine(store.Blobs.Directory, orphan.Digest.FileName + "-partial");
        File.WriteAllText(stale, "old");
        File.WriteAllText(fresh, "new");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        var foreign = Path.Combine(store.Blobs.Directory, "notes.txt");
        File.WriteAllText(foreign, "not ours");
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow.AddDays(-2));
        var emptyDir = Path.Combine(store.ManifestsDirectory, "example.com", "ns", "gone");
        Directory.CreateDirectory(emptyDir);

        var result = store.Prune();

        Assert.Equal([orphan.Digest], result.RemovedBlobs);
        Assert.Single(result.RemovedPartialFiles);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(foreign));
        Assert.True(store.Blobs.Exists(kept.Layers[0].Digest));
        Assert.True(store.Blobs.Exists(kept.Config.Digest));
        Assert.True(store.Blobs.Exists(deep.Digest));
        Assert.False(Directory.Exists(Path.Combine(store.ManifestsDirectory, "example.com")));
        Assert.True(result.BytesFreed >= orphan.Size);
    }

    [Fact]
    public void ListSkipsInvalidNamesCorruptAndHostileManifests()
    {
        var good = Layer(MediaTypes.Model, "w");
        WriteOllamaManifest(Path.Combine("registry.ollama.ai", "library", "good", "latest"), good);
        WriteOllamaManifest(Path.Combine("registry.ollama.ai", "bad.ns", "x", "latest"), good);
        WriteOllamaManifest(Path.Combine("registry.ollama.ai", "library", "x", ".hidden"), good);
        var corrupt = Path.Combine(_temp.Root, "manifests", "registry.ollama.ai", "library", "corrupt", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
        File.WriteAllText(corrupt, "{not json");
        var hostile = Path.Combine(_temp.Root, "manifests", "registry.ollama.ai", "library", "hostile", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(hostile)!);
        File.WriteAllText(hostile, "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:../../../etc/passwd\",\"size\":1},\"layers\":[]}");
        var nullConfig = Path.Combine(_temp.Root, "manifests", "registry.ollama.ai", "library", "nullcfg", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(nullConfig)!);
        File.WriteAllText(nullConfig, "{\"schemaVersion\":2,\"config\":null,\"layers\":[]}");

        var models = NewStore().ListModels();

        Assert.Equal(["good"], models.Select(m => m.Name.Model));
    }

    [Fact]
    public void InvalidNamesNeverBecomePaths()
    {
        var store = NewStore();
        var manifest = NewManifest("w");

        Assert.Throws<InvalidModelNameException>(() => store.WriteManifest(ModelName.Parse("../../evil"), manifest));
        Assert.Throws<InvalidModelNameException>(() => store.Copy(ModelName.Parse("a"), ModelName.Parse("a/../b")));
        Assert.False(store.Delete(ModelName.Parse("../x")));
        Assert.False(store.TryGetManifest(ModelName.Parse("/etc/passwd"), out _));
        Assert.Throws<InvalidOperationException>(() => StorePaths.Under(store.ManifestsDirectory, Path.Combine("..", "x")));
        Assert.Throws<InvalidOperationException>(() => StorePaths.Under(store.ManifestsDirectory, "/etc/passwd"));
        Assert.Throws<InvalidOperationException>(() => StorePaths.Under(store.ManifestsDirectory, ""));
    }

    [Fact]
    public void ResolveRootPrefersOllamaModels()
    {
        Assert.Equal("/data/models", ModelStore.ResolveRoot(n => n == "OLLAMA_MODELS" ? "/data/models" : null));
        Assert.EndsWith(Path.Combine(".ollama", "models"), ModelStore.ResolveRoot(_ => null));
        Assert.EndsWith(Path.Combine(".ollama", "models"), ModelStore.ResolveRoot(_ => ""));
    }
}
