using System.Text;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Testing.Registry;

/// <summary>
/// The blobs and manifest of a small model (a weights blob, a template and a config), built in
/// memory so they can be served by a fake registry or written into a model store.
/// </summary>
public sealed class TestModelArtifacts
{
    private TestModelArtifacts(byte[] manifestBytes, Manifest manifest, IReadOnlyDictionary<BlobDigest, byte[]> blobs)
    {
        ManifestBytes = manifestBytes;
        Manifest = manifest;
        Blobs = blobs;
    }

    public byte[] ManifestBytes { get; }
    public Manifest Manifest { get; }
    public IReadOnlyDictionary<BlobDigest, byte[]> Blobs { get; }

    public ManifestLayer ModelLayer => Manifest.FindLayer(MediaTypes.Model)!;

    /// <summary>Builds a model whose weights blob is <paramref name="weights"/> (random bytes of <paramref name="size"/> when null).</summary>
    public static TestModelArtifacts Create(int size = 256 << 10, byte[]? weights = null, int seed = 1, string template = "{{ .Prompt }}")
    {
        if (weights is null)
        {
            weights = new byte[size];
            new Random(seed).NextBytes(weights);
        }

        var blobs = new Dictionary<BlobDigest, byte[]>();
        ManifestLayer Add(string mediaType, byte[] content)
        {
            var digest = BlobDigest.Compute(content);
            blobs[digest] = content;
            return new ManifestLayer { MediaType = mediaType, Digest = digest, Size = content.Length };
        }

        var model = Add(MediaTypes.Model, weights);
        var templateLayer = Add(MediaTypes.Template, Encoding.UTF8.GetBytes(template));
        var config = new ModelConfig { ModelFormat = "gguf", ModelFamily = "llama", ModelType = "1M", FileType = "F32" };
        config.RootFs.DiffIds = [model.Digest.ToString(), templateLayer.Digest.ToString()];
        var configLayer = Add(MediaTypes.Config, config.ToJsonBytes());
        var manifest = new Manifest { Config = configLayer, Layers = [model, templateLayer] };
        return new TestModelArtifacts(manifest.ToJsonBytes(), manifest, blobs);
    }

    /// <summary>Serves this model from a fake registry under "namespace/model:tag".</summary>
    public void AddTo(FakeRegistry registry, string repositoryAndTag)
    {
        foreach (var (digest, content) in Blobs)
        {
            registry.Blobs[digest.ToString()] = content;
        }

        registry.Manifests[repositoryAndTag] = ManifestBytes;
    }

    /// <summary>Writes blobs and manifest into a model store, as a created model would be.</summary>
    public async Task WriteToAsync(ModelStore store, ModelName name)
    {
        foreach (var (digest, content) in Blobs)
        {
            await store.Blobs.WriteAsync(digest, new MemoryStream(content));
        }

        store.WriteManifestBytes(name, ManifestBytes);
    }
}
