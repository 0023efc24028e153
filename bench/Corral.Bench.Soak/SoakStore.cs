using System.Security.Cryptography;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Bench.Soak;

/// <summary>
/// The soak's own temp folder: the two GGUFs (generated unless given) and a model store holding them as
/// <see cref="ChatModel"/> and <see cref="EmbedModel"/>. Disposing deletes the folder; only the folder this created.
/// </summary>
internal sealed class SoakStore : IAsyncDisposable
{
    public const string ChatModel = "soak-chat";
    public const string EmbedModel = "soak-embed";

    private readonly string _root;

    private SoakStore(string root, string modelsPath, IReadOnlyDictionary<string, string> modelByBlob)
    {
        _root = root;
        ModelsPath = modelsPath;
        ModelByBlob = modelByBlob;
    }

    /// <summary>OLLAMA_MODELS of the server.</summary>
    public string ModelsPath { get; }

    /// <summary>Model name by the file name of its weights blob (<c>sha256-…</c>), to tell which runner serves which model.</summary>
    public IReadOnlyDictionary<string, string> ModelByBlob { get; }

    public static async Task<SoakStore> CreateAsync(SoakOptions options)
    {
        var root = Directory.CreateTempSubdirectory("corral-soak-").FullName;
        try
        {
            var chat = options.ChatModelPath ?? Generate(root, "chat.gguf", p => TestModelWriter.WriteRandom(p));
            var embed = options.EmbedModelPath ?? Generate(root, "embed.gguf", p => TestModelWriter.WriteEmbedding(p));
            var models = Path.Combine(root, "models");
            Directory.CreateDirectory(models);
            // No TEMPLATE layer: the chat model renders with its GGUF's own chat template (Jinja), as an imported GGUF would.
            await StoreSeeder.SeedAsync(models, ChatModel, chat).ConfigureAwait(false);
            await StoreSeeder.SeedAsync(models, EmbedModel, embed, family: "bert").ConfigureAwait(false);
            var byBlob = new Dictionary<string, string>
            {
                [await BlobNameAsync(chat).ConfigureAwait(false)] = ChatModel,
                [await BlobNameAsync(embed).ConfigureAwait(false)] = EmbedModel,
            };
            return new SoakStore(root, models, byBlob);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static string Generate(string root, string name, Action<string> writer)
    {
        var path = Path.Combine(root, name);
        writer(path);
        return path;
    }

    private static async Task<string> BlobNameAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file).ConfigureAwait(false);
        return "sha256-" + Convert.ToHexStringLower(hash);
    }
}
