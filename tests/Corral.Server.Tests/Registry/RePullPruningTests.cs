using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Testing;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>
/// A pull that replaces a model's manifest removes the blobs only the old version used, as Ollama
/// does: a real registry, a real server publishing new versions to one tag, real servers pulling them.
/// </summary>
public sealed class RePullPruningTests(RePullFixture fixture) : IClassFixture<RePullFixture>
{
    private const string SharedTemplate = "{{ .System }} {{ .Prompt }}";

    private static async Task PostAsync(IServerUnderTest server, string path, string json)
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var last = JsonDocument.Parse(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.True(last.TryGetProperty("status", out var status) && status.GetString() == "success", body);
    }

    /// <summary>Puts <paramref name="model"/> in the publisher's store under each name and pushes it there.</summary>
    private async Task PublishAsync(TestModelArtifacts model, params string[] names)
    {
        var store = new ModelStore(fixture.Publisher.ModelsPath);
        foreach (var name in names)
        {
            await model.WriteToAsync(store, ModelName.ParseValid(name));
            await PostAsync(fixture.Publisher, "/api/push", $$"""{"model":"{{name}}","insecure":true}""");
        }
    }

    private static Task PullAsync(IServerUnderTest server, string name) =>
        PostAsync(server, "/api/pull", $$"""{"model":"{{name}}","insecure":true}""");

    private static TestModelArtifacts Version(int seed) => TestModelArtifacts.Create(size: 300 << 10, seed: seed, template: SharedTemplate);

    private string Name(string repositoryAndTag) => $"{fixture.Registry.Host}/{repositoryAndTag}";

    private static void AssertHolds(IServerUnderTest server, string name, TestModelArtifacts model)
    {
        var store = new ModelStore(server.ModelsPath, noPrune: true);
        Assert.True(store.TryGetManifest(ModelName.ParseValid(name), out var stored), $"{name} is not in {server.ModelsPath}");
        Assert.Equal(model.ManifestBytes, File.ReadAllBytes(stored.ManifestPath));
        foreach (var (digest, content) in model.Blobs)
        {
            Assert.Equal(content, File.ReadAllBytes(store.Blobs.GetPath(digest)));
        }
    }

    private static bool BlobOnDisk(IServerUnderTest server, ManifestLayer blob) =>
        new ModelStore(server.ModelsPath, noPrune: true).Blobs.Exists(blob.Digest);

    [Fact]
    public async Task RePullRemovesTheWeightsAndConfigOnlyTheOldVersionUsed()
    {
        var name = Name("prune/m:latest");
        var (v1, v2) = (Version(31), Version(32));
        await PublishAsync(v1, name);
        await PullAsync(fixture.Puller, name);
        AssertHolds(fixture.Puller, name, v1);

        await PublishAsync(v2, name);
        await PullAsync(fixture.Puller, name);

        AssertHolds(fixture.Puller, name, v2);
        Assert.False(BlobOnDisk(fixture.Puller, v1.ModelLayer));
        Assert.False(BlobOnDisk(fixture.Puller, v1.Manifest.Config));
        Assert.True(BlobOnDisk(fixture.Puller, v1.Manifest.Layers[1])); // the template both versions share
        Assert.Equal(v1.Manifest.Layers[1].Digest, v2.Manifest.Layers[1].Digest);
    }

    [Fact]
    public async Task RePullKeepsTheOldLayersASecondTagStillUses()
    {
        var (latest, stable) = (Name("prune/shared:latest"), Name("prune/shared:stable"));
        var elsewhere = Name("other-namespace/copy:v1");
        var (v1, v2) = (Version(41), Version(42));
        await PublishAsync(v1, latest, stable, elsewhere);
        await PullAsync(fixture.Puller, latest);
        await PullAsync(fixture.Puller, stable);
        await PullAsync(fixture.Puller, elsewhere);

        await PublishAsync(v2, latest);
        await PullAsync(fixture.Puller, latest);

        AssertHolds(fixture.Puller, latest, v2);
        AssertHolds(fixture.Puller, stable, v1);
        AssertHolds(fixture.Puller, elsewhere, v1);

        // They go only with their last user.
        using var client = fixture.Puller.CreateClient();
        foreach (var name in new[] { stable, elsewhere })
        {
            using var delete = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/delete")
            {
                Content = new StringContent($$"""{"model":"{{name}}"}""", Encoding.UTF8, "application/json"),
            });
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Assert.Equal(name == elsewhere, !BlobOnDisk(fixture.Puller, v1.ModelLayer));
        }

        AssertHolds(fixture.Puller, latest, v2);
    }

    [Fact]
    public async Task RePullWithOllamaNoPruneKeepsTheOldBlobs()
    {
        var name = Name("prune/kept:latest");
        var (v1, v2) = (Version(51), Version(52));
        await PublishAsync(v1, name);
        await PullAsync(fixture.NoPrunePuller, name);

        await PublishAsync(v2, name);
        await PullAsync(fixture.NoPrunePuller, name);

        AssertHolds(fixture.NoPrunePuller, name, v2);
        Assert.True(BlobOnDisk(fixture.NoPrunePuller, v1.ModelLayer));
        Assert.True(BlobOnDisk(fixture.NoPrunePuller, v1.Manifest.Config));
    }

    [Fact]
    public async Task PullingTheSameVersionAgainRemovesNothing()
    {
        var name = Name("prune/same:latest");
        var v1 = Version(61);
        await PublishAsync(v1, name);
        await PullAsync(fixture.Puller, name);

        await PullAsync(fixture.Puller, name);

        AssertHolds(fixture.Puller, name, v1);
    }
}
