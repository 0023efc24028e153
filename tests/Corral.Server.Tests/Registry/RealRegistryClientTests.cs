using Corral.Models.Names;
using Corral.Models.Registry;
using Corral.Models.Store;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>The client's protocol details (chunked uploads, ranged parts) against a real distribution registry.</summary>
public sealed class RealRegistryClientTests(LocalRegistryFixture fixture) : IClassFixture<LocalRegistryFixture>, IDisposable
{
    private static readonly HttpClient Http = RegistryClient.CreateHttpClient();
    private readonly string _root = Directory.CreateTempSubdirectory("corral-real-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ChunkedUploadThenPartedDownloadRoundTrips()
    {
        var options = new RegistryOptions
        {
            Insecure = true,
            UploadChunkSize = 200 << 10,
            MinPartedBlobSize = 64 << 10,
            DownloadParts = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };
        var name = ModelName.ParseValid($"{fixture.Registry.Host}/corral/chunked:v1");
        var model = TestModelArtifacts.Create(size: (1 << 20) + 12345, seed: 21);
        var source = new ModelStore(Path.Combine(_root, "source"));
        await model.WriteToAsync(source, name);

        var pushed = new List<RegistryProgress>();
        await new ModelPusher(new RegistryClient(Http, options), source).PushAsync(name, pushed.Add, CancellationToken.None);

        var modelProgress = pushed.Where(p => p.Digest == model.ModelLayer.Digest.ToString()).Select(p => p.Completed).ToList();
        Assert.True(modelProgress.Count >= 3, "progress while uploading");
        Assert.Equal(modelProgress.Order(), modelProgress);
        Assert.Equal(model.ModelLayer.Size, modelProgress[^1]);

        var target = new ModelStore(Path.Combine(_root, "target"));
        await new ModelPuller(new RegistryClient(Http, options), target).PullAsync(name, _ => { }, CancellationToken.None);

        Assert.True(target.TryGetManifest(name, out var stored));
        Assert.Equal(model.ManifestBytes, File.ReadAllBytes(stored.ManifestPath));
        foreach (var (digest, content) in model.Blobs)
        {
            Assert.Equal(content, File.ReadAllBytes(target.Blobs.GetPath(digest)));
        }
    }

    [Fact]
    public async Task HeadSeesPushedBlobsOnly()
    {
        var options = new RegistryOptions { Insecure = true };
        var name = ModelName.ParseValid($"{fixture.Registry.Host}/corral/heads:v1");
        var model = TestModelArtifacts.Create(seed: 22);
        var source = new ModelStore(Path.Combine(_root, "source"));
        await model.WriteToAsync(source, name);
        var client = new RegistryClient(Http, options);

        Assert.False(await client.BlobExistsAsync(name, model.ModelLayer.Digest, CancellationToken.None));
        await new ModelPusher(client, source).PushAsync(name, _ => { }, CancellationToken.None);
        Assert.True(await client.BlobExistsAsync(name, model.ModelLayer.Digest, CancellationToken.None));
    }

    [Fact]
    public async Task SecureByDefaultRefusesPlainHttpRegistries()
    {
        var name = ModelName.ParseValid($"{fixture.Registry.Host}/corral/tls:v1");
        var client = new RegistryClient(Http, new RegistryOptions { RetryDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = 1 });
        Assert.StartsWith("https://", client.GetRepositoryUri(name).ToString());

        // The local registry speaks plain http, so a TLS handshake with it fails.
        await Assert.ThrowsAnyAsync<Exception>(() =>
            new ModelPuller(client, new ModelStore(_root)).PullAsync(name, _ => { }, CancellationToken.None));
    }
}
