using System.Security.Cryptography;
using System.Text;
using Corral.Server.Tests.Inference;
using Corral.Testing;

namespace Corral.Server.Tests.Security;

/// <summary>A real server started with <c>CORRAL_API_KEYS_FILE</c>: one key per scope, one stored hashed.</summary>
public sealed class ApiKeyServerFixture : IAsyncLifetime
{
    public const string ReadKey = "corral-read-4b1f";
    public const string InferKey = "corral-infer-9c2e";
    public const string AdminKey = "corral-admin-77aa";

    /// <summary>Listed in the file only as its SHA-256, with the infer scope.</summary>
    public const string HashedInferKey = "corral-hashed-0d3c";

    public IServerUnderTest Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-keys-").FullName;
        await StoreSeeder.SeedAsync(models, "successor", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: InferenceServerFixture.ChatTemplate, paramsJson: "{\"temperature\":0}");
        var keysFile = Path.Combine(TempFolders.Create("corral-keyfile-"), "keys");
        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HashedInferKey)));
        await File.WriteAllLinesAsync(keysFile,
        [
            "# keys for the tests",
            $"{ReadKey} read",
            $"{InferKey} infer",
            $"{AdminKey}   # no scope: admin",
            $"sha256:{hashed} infer",
        ]);
        Server = await InProcessServer.StartAsync(
            new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keysFile, ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "512" },
            models);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
