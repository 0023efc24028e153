using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

/// <summary>
/// Create and copy onto an existing name remove the blobs only the replaced model used; blobs another
/// model or a client's pending create still needs stay. Each test uses its own GGUFs, so what one
/// test keeps cannot hide what another expects gone.
/// </summary>
public sealed class ReplacementPruningTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private OllamaClient Client => fixture.Client;

    /// <summary>The config digest of a model, read from the server's store.</summary>
    private string ConfigDigest(string name)
    {
        var store = new ModelStore(fixture.Server.ModelsPath, noPrune: true);
        return store.GetManifest(ModelName.Parse(name)).Manifest.Config.Digest.ToString();
    }

    [Fact]
    public async Task CreateOverAnExistingName_PrunesTheReplacedLayers()
    {
        var (oldWeights, newWeights) = (ServerFixture.DigestOf(GeneratedModels.Random), ServerFixture.DigestOf(GeneratedModels.Successor));
        await fixture.CreateFromFileAsync("replace-me", GeneratedModels.Random, r => r.System = "first system");
        var oldConfig = ConfigDigest("replace-me");
        var license = ServerFixture.DigestOf("new license"u8.ToArray());

        await fixture.CreateFromFileAsync("replace-me", GeneratedModels.Successor, r =>
        {
            r.System = "second system";
            r.License = new Corral.Api.Json.StringOrArray(["new license"]);
        });

        Assert.False(fixture.BlobOnDisk(oldWeights));
        Assert.False(fixture.BlobOnDisk(oldConfig));
        Assert.False(fixture.BlobOnDisk(ServerFixture.DigestOf("first system"u8.ToArray())));
        Assert.True(fixture.BlobOnDisk(newWeights));
        Assert.True(fixture.BlobOnDisk(license));
        Assert.True(fixture.BlobOnDisk(ConfigDigest("replace-me")));
        Assert.Equal("second system", (await Client.ShowAsync(new ShowRequest { Model = "replace-me" })).System);
    }

    [Fact]
    public async Task RecreatingADerivedModel_KeepsTheBaseModelsLayers()
    {
        var weights = ServerFixture.DigestOf(GeneratedModels.Embedding);
        await fixture.CreateFromFileAsync("prune-base", GeneratedModels.Embedding);
        await ServerFixture.CollectAsync(Client.CreateAsync(new CreateRequest { Model = "prune-derived", From = "prune-base", Parameters = Params(0.5) }));
        var oldParams = ServerFixture.DigestOf("{\"temperature\":0.5}\n"u8.ToArray());
        Assert.True(fixture.BlobOnDisk(oldParams));

        await ServerFixture.CollectAsync(Client.CreateAsync(new CreateRequest { Model = "prune-derived", From = "prune-base", Parameters = Params(0.25) }));

        Assert.False(fixture.BlobOnDisk(oldParams));
        Assert.True(fixture.BlobOnDisk(weights));
        Assert.True(fixture.BlobOnDisk(ConfigDigest("prune-base")));
        Assert.Contains("0.25", (await Client.ShowAsync(new ShowRequest { Model = "prune-derived" })).Parameters);
    }

    [Fact]
    public async Task CopyOntoAnExistingName_PrunesWhatOnlyTheOverwrittenModelUsed()
    {
        var (sourceWeights, targetWeights) = (ServerFixture.DigestOf(GeneratedModels.ToolCaller), ServerFixture.DigestOf(GeneratedModels.Reranker));
        await fixture.CreateFromFileAsync("copy-source", GeneratedModels.ToolCaller, r => r.System = "source system");
        await fixture.CreateFromFileAsync("copy-target", GeneratedModels.Reranker, r => r.System = "target system");
        var targetConfig = ConfigDigest("copy-target");

        await Client.CopyAsync(new CopyRequest { Source = "copy-source", Destination = "copy-target" });

        Assert.False(fixture.BlobOnDisk(targetWeights));
        Assert.False(fixture.BlobOnDisk(targetConfig));
        Assert.False(fixture.BlobOnDisk(ServerFixture.DigestOf("target system"u8.ToArray())));
        Assert.True(fixture.BlobOnDisk(sourceWeights));
        Assert.Equal("source system", (await Client.ShowAsync(new ShowRequest { Model = "copy-target" })).System);
        Assert.Equal("source system", (await Client.ShowAsync(new ShowRequest { Model = "copy-source" })).System);
    }

    [Fact]
    public async Task ABlobTheClientWasToldIsPresent_SurvivesADeleteBeforeItsCreate()
    {
        // A GGUF of its own (trailing bytes change the digest, not the model), so no other model holds it.
        var folder = Directory.CreateTempSubdirectory("corral-hold-").FullName;
        try
        {
            var path = Path.Combine(folder, "held.gguf");
            File.WriteAllBytes(path, [.. File.ReadAllBytes(GeneratedModels.Random), .. "held"u8]);
            var digest = ServerFixture.DigestOf(path);
            await fixture.CreateFromFileAsync("hold-first", path);

            // `ollama create` asks first, and skips the upload when the server has the blob...
            Assert.True(await Client.HeadBlobAsync(digest));
            // ...so deleting the only model using it must not take it away before the create comes.
            await Client.DeleteAsync(new DeleteRequest { Model = "hold-first" });
            Assert.True(fixture.BlobOnDisk(digest));

            var create = await ServerFixture.CollectAsync(Client.CreateAsync(new CreateRequest { Model = "hold-second", Files = new() { ["model.gguf"] = digest } }));
            Assert.Equal("success", create[^1].Status);

            // Claimed by a manifest, it is protected by that manifest alone and goes with it.
            await Client.DeleteAsync(new DeleteRequest { Model = "hold-second" });
            Assert.False(fixture.BlobOnDisk(digest));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, JsonElement> Params(double temperature)
    {
        using var value = JsonDocument.Parse(temperature.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new() { ["temperature"] = value.RootElement.Clone() };
    }
}
