using System.Text;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.TestModels;

namespace Corral.Testing;

/// <summary>
/// Writes a model into a store the way Ollama lays it out (weights, template, system and params
/// layers, config blob, manifest), without going through the server: for tests that need a
/// model present before the server starts, or a store "written by Ollama".
/// </summary>
public static class StoreSeeder
{
    /// <param name="modelsPath">The store folder (OLLAMA_MODELS).</param>
    /// <param name="name">The model name to write the manifest under.</param>
    /// <param name="ggufPath">The weights, stored as the model layer.</param>
    /// <param name="template">The template layer; none when null.</param>
    /// <param name="system">The system layer; none when null.</param>
    /// <param name="paramsJson">The params layer (JSON); none when null.</param>
    /// <param name="family">The family written to the config blob.</param>
    /// <param name="adapterPaths">LoRA adapter GGUFs stored as adapter layers, unchecked (as a store Ollama wrote may hold them).</param>
    public static async Task SeedAsync(string modelsPath, string name, string ggufPath, string? template = null, string? system = null, string? paramsJson = null, string family = "llama", IReadOnlyList<string>? adapterPaths = null)
    {
        var store = new ModelStore(modelsPath);
        var layers = new List<ManifestLayer>();
        var weights = await store.Blobs.AddFileAsync(ggufPath);
        layers.Add(new ManifestLayer { MediaType = MediaTypes.Model, Digest = weights.Digest, Size = weights.Size });
        foreach (var adapterPath in adapterPaths ?? [])
        {
            var adapter = await store.Blobs.AddFileAsync(adapterPath);
            layers.Add(new ManifestLayer { MediaType = MediaTypes.Adapter, Digest = adapter.Digest, Size = adapter.Size });
        }

        await AddTextAsync(store, layers, MediaTypes.Template, template);
        await AddTextAsync(store, layers, MediaTypes.System, system);
        await AddTextAsync(store, layers, MediaTypes.Params, paramsJson);

        var config = new ModelConfig
        {
            ModelFormat = "gguf",
            ModelFamily = family,
            ModelFamilies = [family],
            ModelType = "1M",
            FileType = "F32",
            Architecture = "amd64",
            OS = "linux",
        };
        config.RootFs.Type = "layers";
        config.RootFs.DiffIds = layers.Select(l => l.Digest.ToString()).ToList();
        var configBlob = await store.Blobs.AddBytesAsync(config.ToJsonBytes());
        var manifest = new Manifest
        {
            Config = new ManifestLayer { MediaType = MediaTypes.Config, Digest = configBlob.Digest, Size = configBlob.Size },
            Layers = layers,
        };
        store.WriteManifest(ModelName.ParseValid(name), manifest);
    }

    /// <summary>
    /// Seeds <see cref="GeneratedModels.ToolCaller"/> with <see cref="ToolCallerModel.Template"/> and temperature 0,
    /// so a chat turn with tools is answered with <see cref="ToolCallerModel"/>'s tool call.
    /// </summary>
    public static Task SeedToolCallerAsync(string modelsPath, string name = "tool-caller") =>
        SeedAsync(modelsPath, name, GeneratedModels.ToolCaller, template: ToolCallerModel.Template, paramsJson: "{\"temperature\":0}");

    /// <summary>
    /// Seeds <see cref="GeneratedModels.Thinker"/> with <see cref="ThinkerModel.Template"/> and temperature 0, so a chat
    /// turn is answered with <see cref="ThinkerModel"/>'s thought and answer (the answer alone with think false).
    /// </summary>
    public static Task SeedThinkerAsync(string modelsPath, string name = "thinker") =>
        SeedAsync(modelsPath, name, GeneratedModels.Thinker, template: ThinkerModel.Template, paramsJson: "{\"temperature\":0}");

    private static async Task AddTextAsync(ModelStore store, List<ManifestLayer> layers, string mediaType, string? text)
    {
        if (text is null)
        {
            return;
        }

        var blob = await store.Blobs.AddBytesAsync(Encoding.UTF8.GetBytes(text));
        layers.Add(new ManifestLayer { MediaType = mediaType, Digest = blob.Digest, Size = blob.Size });
    }
}
