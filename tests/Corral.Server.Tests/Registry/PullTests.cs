using System.Text;
using Corral.Models.Names;
using Corral.Models.Registry;
using Corral.Models.Store;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>The pull side of the registry client against an in-memory registry with injected faults.</summary>
public sealed class PullTests : IAsyncLifetime
{
    private static readonly HttpClient Http = RegistryClient.CreateHttpClient();

    private FakeRegistry _registry = null!;
    private ModelStore _store = null!;
    private string _root = null!;

    private static readonly RegistryOptions FastOptions = new()
    {
        Insecure = true,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MinPartedBlobSize = 64 << 10,
        DownloadParts = 4,
        ProgressInterval = TimeSpan.Zero,
    };

    public async Task InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync();
        _root = Directory.CreateTempSubdirectory("corral-pull-").FullName;
        _store = new ModelStore(_root);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private ModelName Name(string repoAndTag = "test/model:latest") => ModelName.ParseValid($"{_registry.Host}/{repoAndTag}");

    private ModelPuller Puller(RegistryOptions? options = null) => new(new RegistryClient(Http, options ?? FastOptions), _store);

    private static async Task<List<RegistryProgress>> PullAsync(ModelPuller puller, ModelName name, CancellationToken cancellationToken = default)
    {
        var lines = new List<RegistryProgress>();
        await puller.PullAsync(name, p =>
        {
            lock (lines)
            {
                lines.Add(p);
            }
        }, cancellationToken);
        return lines;
    }

    private void AssertStoreHolds(TestModelArtifacts model, ModelName name)
    {
        Assert.True(_store.TryGetManifest(name, out var stored));
        Assert.Equal(model.ManifestBytes, File.ReadAllBytes(stored.ManifestPath));
        foreach (var (digest, content) in model.Blobs)
        {
            Assert.Equal(content, File.ReadAllBytes(_store.Blobs.GetPath(digest)));
        }

        Assert.Empty(Directory.GetFiles(_store.Blobs.Directory, "*partial*"));
    }

    [Fact]
    public async Task PullsModelWithOllamaProgressLines()
    {
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");

        var lines = await PullAsync(Puller(), Name());

        AssertStoreHolds(model, Name());
        Assert.Equal("pulling manifest", lines[0].Status);
        var statuses = lines.Select(l => l.Status).Distinct().ToList();
        Assert.Equal(["pulling manifest", $"pulling {model.ModelLayer.Digest.Hex[..12]}"], statuses.Take(2));
        Assert.Equal(["verifying sha256 digest", "writing manifest", "success"], statuses.TakeLast(3));
        var last = lines.Last(l => l.Digest == model.ModelLayer.Digest.ToString());
        Assert.Equal(model.ModelLayer.Size, last.Total);
        Assert.Equal(model.ModelLayer.Size, last.Completed);
    }

    [Fact]
    public async Task LargeBlobsComeInParallelRangedParts()
    {
        var model = TestModelArtifacts.Create(size: 1 << 20);
        model.AddTo(_registry, "test/model:latest");

        await PullAsync(Puller(), Name());

        AssertStoreHolds(model, Name());
        var ranged = _registry.Requests.Where(r => r.Contains($"/blobs/{model.ModelLayer.Digest}") && r.Contains("bytes=")).ToList();
        Assert.Equal(4, ranged.Count);
        Assert.Contains(ranged, r => r.Contains("bytes=0-262143"));
        Assert.Contains(ranged, r => r.Contains("bytes=786432-1048575"));
    }

    [Fact]
    public async Task DroppedConnectionResumesFromWhereItStopped()
    {
        var model = TestModelArtifacts.Create(size: 512 << 10);
        model.AddTo(_registry, "test/model:latest");
        _registry.DropBlobAfterBytes = 100_000;
        _registry.DropCount = 2;

        await PullAsync(Puller(FastOptions with { MinPartedBlobSize = long.MaxValue }), Name());

        AssertStoreHolds(model, Name());
        // Two drops, two resumptions, each from a later offset than the one before; never from zero.
        var offsets = _registry.Requests.Where(r => r.Contains("bytes="))
            .Select(r => long.Parse(System.Text.RegularExpressions.Regex.Match(r, @"bytes=(\d+)-").Groups[1].Value)).ToList();
        Assert.Equal(2, offsets.Count);
        Assert.InRange(offsets[0], 1, 100_000);
        Assert.InRange(offsets[1], offsets[0] + 1, offsets[0] + 100_000);
        var total = model.Blobs.Values.Sum(b => (long)b.Length);
        Assert.InRange(_registry.BlobBytesServed, total, total + 100_000);
    }

    [Fact]
    public async Task StalledTransferIsAbandonedAndResumed()
    {
        var model = TestModelArtifacts.Create(size: 64 << 10);
        model.AddTo(_registry, "test/model:latest");
        _registry.BlobChunkDelay = TimeSpan.FromSeconds(5);

        await PullAsync(Puller(FastOptions with { MinPartedBlobSize = long.MaxValue, StallTimeout = TimeSpan.FromMilliseconds(200) }), Name());

        AssertStoreHolds(model, Name());
        Assert.Equal(3, _registry.Requests.Count(r => r.Contains($"/blobs/{model.ModelLayer.Digest} bytes=")));
    }

    [Fact]
    public async Task ServerIgnoringRangeStillResumesCorrectly()
    {
        var model = TestModelArtifacts.Create(size: 300 << 10);
        model.AddTo(_registry, "test/model:latest");
        _registry.DropBlobAfterBytes = 50_000;
        _registry.DropCount = 1;
        _registry.IgnoreRange = true;

        await PullAsync(Puller(FastOptions with { MinPartedBlobSize = long.MaxValue }), Name());

        AssertStoreHolds(model, Name());
    }

    [Fact]
    public async Task CancelledPullLeavesOnlyPartialFilesAndALaterPullResumes()
    {
        var model = TestModelArtifacts.Create(size: 1 << 20);
        model.AddTo(_registry, "test/model:latest");
        _registry.BlobChunkDelay = TimeSpan.FromMilliseconds(20);
        var options = FastOptions with { MinPartedBlobSize = long.MaxValue };

        using var cts = new CancellationTokenSource();
        var pull = PullAsync(Puller(options), Name(), cts.Token);
        var partial = new BlobDownloader(new RegistryClient(Http, options), _store.Blobs).GetPartialPath(model.ModelLayer.Digest);
        while (_registry.BlobBytesServed < 200 << 10)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull);

        Assert.False(_store.Blobs.Exists(model.ModelLayer.Digest));
        Assert.False(_store.TryGetManifest(Name(), out _));
        Assert.True(File.Exists(partial));
        Assert.True(File.Exists(partial + ".json"));
        Assert.DoesNotContain(model.ModelLayer.Digest, _store.Blobs.ListDigests());

        // A new puller (as after a server restart) continues from the saved state.
        _registry.BlobChunkDelay = TimeSpan.Zero;
        var servedBefore = _registry.BlobBytesServed;
        await PullAsync(Puller(options), Name());

        AssertStoreHolds(model, Name());
        var resumed = _registry.Requests.Last(r => r.Contains($"/blobs/{model.ModelLayer.Digest}"));
        Assert.Matches(@"bytes=[1-9]\d*-", resumed);
        Assert.True(_registry.BlobBytesServed - servedBefore < model.ModelLayer.Size, _registry.DescribeRequests());
    }

    [Fact]
    public async Task UnchangedLayersAreNotDownloadedAgain()
    {
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");
        await PullAsync(Puller(), Name());
        var served = _registry.BlobBytesServed;

        var lines = await PullAsync(Puller(), Name());

        Assert.Equal(served, _registry.BlobBytesServed);
        Assert.Equal("success", lines[^1].Status);
    }

    [Fact]
    public async Task MissingModelSaysWhatOllamaSays()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name("test/absent:latest")));
        Assert.Equal("pull model manifest: file does not exist", e.Message);
    }

    [Fact]
    public async Task CorruptBlobIsRefusedAndNeverBecomesABlob()
    {
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");
        var tampered = (byte[])model.Blobs[model.ModelLayer.Digest].Clone();
        tampered[1000] ^= 0xff;
        _registry.Blobs[model.ModelLayer.Digest.ToString()] = tampered;

        await Assert.ThrowsAsync<DigestMismatchException>(() => PullAsync(Puller(), Name()));

        Assert.False(_store.Blobs.Exists(model.ModelLayer.Digest));
        Assert.False(_store.TryGetManifest(Name(), out _));
        Assert.Empty(Directory.GetFiles(_store.Blobs.Directory, "*partial*"));
    }

    public static TheoryData<string, string> HostileManifests => new()
    {
        { """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:../../../../../../tmp/evil","size":1},"layers":[]}""", "digest" },
        { """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:zz","size":1},"layers":[]}""", "digest" },
        { LayersManifest(10_000, 1), "layers" },
        { LayersManifest(1, 1L << 50), "size" },
        { LayersManifest(1, -5), "size" },
    };

    private static string LayersManifest(int count, long size)
    {
        var layer = $$"""{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{{new string('b', 64)}}","size":{{size}}}""";
        return $$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:{{new string('c', 64)}}","size":2},"layers":[{{string.Join(',', Enumerable.Repeat(layer, count))}}]}""";
    }

    [Theory]
    [MemberData(nameof(HostileManifests))]
    public async Task HostileManifestsAreRefusedBeforeAnyDownload(string manifest, string expected)
    {
        _registry.Manifests["test/model:latest"] = Encoding.UTF8.GetBytes(manifest);

        var e = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name()));

        Assert.StartsWith("pull model manifest: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain(_registry.Requests, r => r.Contains("/blobs/"));
        Assert.False(Directory.Exists(_store.Blobs.Directory) && Directory.EnumerateFileSystemEntries(_store.Blobs.Directory).Any());
        Assert.False(File.Exists("/tmp/evil"));
    }

    [Fact]
    public async Task OversizedAndCompressedManifestsAreRefused()
    {
        _registry.Manifests["test/big:latest"] = new byte[(4 << 20) + 10];
        var big = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name("test/big:latest")));
        Assert.Contains("too large", big.Message);

        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/gz:latest");
        _registry.ManifestHeaders["Content-Encoding"] = "gzip";
        var gz = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name("test/gz:latest")));
        Assert.Contains("compressed", gz.Message);
    }

    [Fact]
    public async Task BearerChallengeIsAnsweredWithATokenFromTheRegistryHost()
    {
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");
        _registry.RequiredToken = "secret-token";

        await PullAsync(Puller(), Name());

        AssertStoreHolds(model, Name());
        var tokenRequest = Assert.Single(_registry.Requests, r => r.StartsWith("GET /token", StringComparison.Ordinal));
        Assert.Contains("service=fake-registry", tokenRequest);
        Assert.Contains("scope=repository%3Ax%3Apull", tokenRequest);
        Assert.Contains(_registry.Requests, r => r.Contains("/manifests/latest") && r.EndsWith("Bearer secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenRealmOnAnotherHostIsRefused()
    {
        await using var foreign = await FakeRegistry.StartAsync();
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");
        _registry.RequiredToken = "secret-token";
        _registry.Realm = new Uri(foreign.BaseAddress, "token").ToString();

        var e = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name()));

        Assert.Contains("does not match registry host", e.Message);
        Assert.Empty(foreign.Requests);
    }

    [Fact]
    public async Task BlobRedirectsToACdnWithoutTheRegistryToken()
    {
        await using var cdn = await FakeRegistry.StartAsync();
        var model = TestModelArtifacts.Create();
        model.AddTo(_registry, "test/model:latest");
        model.AddTo(cdn, "unused:latest");
        _registry.RequiredToken = "secret-token";
        _registry.CdnBase = cdn.BaseAddress;

        await PullAsync(Puller(), Name());

        AssertStoreHolds(model, Name());
        var fetched = cdn.Requests.Where(r => r.StartsWith("GET /cdn/", StringComparison.Ordinal)).Select(r => r.Split(' ')[1]).Distinct().Count();
        Assert.Equal(model.Blobs.Count, fetched);
        Assert.DoesNotContain(cdn.Requests, r => r.Contains("Bearer"));
    }

    [Fact]
    public async Task ManifestRequestsDoNotFollowRedirects()
    {
        await using var elsewhere = await FakeRegistry.StartAsync();
        var model = TestModelArtifacts.Create();
        model.AddTo(elsewhere, "test/model:latest");
        _registry.CdnBase = elsewhere.BaseAddress; // only applies to blobs
        _registry.Manifests.Clear();

        var e = await Assert.ThrowsAsync<RegistryException>(() => PullAsync(Puller(), Name()));
        Assert.Contains("file does not exist", e.Message);
    }
}
