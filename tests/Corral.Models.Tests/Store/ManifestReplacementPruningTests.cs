using System.Text;
using Corral.Models.Manifests;
using Corral.Models.Names;
using Corral.Models.Store;

namespace Corral.Models.Tests.Store;

/// <summary>
/// Which blobs go when a manifest is replaced (pull, create, copy onto an existing name) or deleted:
/// exactly those the old manifest used that no manifest on disk and no hold still needs.
/// </summary>
public sealed class ManifestReplacementPruningTests : IDisposable
{
    private static readonly ModelName Name = ModelName.Parse("example.com/ns/m:latest");

    private readonly TempStore _temp = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _temp.Dispose();

    private ModelStore NewStore(bool noPrune = false) => new(_temp.Root, noPrune, _clock);

    private static ManifestLayer Blob(ModelStore store, string mediaType, string content)
    {
        var info = store.Blobs.AddBytesAsync(Encoding.UTF8.GetBytes(content)).GetAwaiter().GetResult();
        return new ManifestLayer { MediaType = mediaType, Digest = info.Digest, Size = info.Size };
    }

    private static Manifest Model(ModelStore store, string weights, string parameters, string? config = null) => new()
    {
        Config = Blob(store, MediaTypes.Config, config ?? ConfigFor(weights)),
        Layers = [Blob(store, MediaTypes.Model, weights), Blob(store, MediaTypes.Params, parameters)],
    };

    private static string ConfigFor(string weights) => $"{{\"weights\":\"{weights}\"}}";

    [Fact]
    public void ReplacingAManifestRemovesTheBlobsOnlyItUsed()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{\"temperature\":1}", "{\"v\":1}");
        store.WriteManifest(Name, old);
        var @new = Model(store, "weights v2", "{\"temperature\":1}", "{\"v\":2}");

        store.WriteManifest(Name, @new);

        Assert.False(store.Blobs.Exists(old.Layers[0].Digest));
        Assert.False(store.Blobs.Exists(old.Config.Digest));
        Assert.True(store.Blobs.Exists(old.Layers[1].Digest)); // shared with the new version
        Assert.All(@new.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
        Assert.Equal(@new.Layers[0].Digest, store.GetManifest(Name).Manifest.Layers[0].Digest);
    }

    [Theory]
    [InlineData("example.com/ns/m:other")] // another tag
    [InlineData("example.com/other/m:latest")] // another namespace
    [InlineData("registry.example.org/ns/m:latest")] // another registry host
    [InlineData("m")] // the default registry
    public void BlobsAnotherManifestUsesSurvive(string other)
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);
        store.WriteManifest(ModelName.Parse(other), old);

        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.All(old.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));

        // Once the last user goes, so do they.
        Assert.True(store.Delete(ModelName.Parse(other)));
        Assert.All(old.AllBlobs, l => Assert.False(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public void AManifestInALayoutWeDoNotListStillProtectsItsBlobs()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);
        var deep = Path.Combine(store.ManifestsDirectory, "example.com", "ns", "kind", "m", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(deep)!);
        File.WriteAllBytes(deep, old.ToJsonBytes());

        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.All(old.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public void NoPruneKeepsReplacedBlobs()
    {
        var store = NewStore(noPrune: true);
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);

        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.All(old.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public void RewritingTheSameManifestRemovesNothing()
    {
        var store = NewStore();
        var manifest = Model(store, "weights", "{}");
        store.WriteManifest(Name, manifest);

        store.WriteManifest(Name, manifest);
        store.Copy(Name, Name);

        Assert.All(manifest.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public void CopyOntoAnExistingNamePrunesWhatTheOverwrittenModelAloneUsed()
    {
        var store = NewStore();
        var source = Model(store, "source weights", "{}");
        var target = Model(store, "target weights", "{\"top_k\":1}");
        store.WriteManifest(ModelName.Parse("source"), source);
        store.WriteManifest(ModelName.Parse("target"), target);

        store.Copy(ModelName.Parse("source"), ModelName.Parse("target"));

        Assert.False(store.Blobs.Exists(target.Layers[0].Digest));
        Assert.False(store.Blobs.Exists(target.Layers[1].Digest));
        Assert.All(source.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public void ACaseVariantNameReplacesTheSameManifestAndPrunesIt()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(ModelName.Parse("Example.com/NS/M:Latest"), old);

        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.Single(store.ListModels());
        Assert.False(store.Blobs.Exists(old.Layers[0].Digest));
    }

    [Fact]
    public void PartialFilesAndForeignFilesAreNeverTouched()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);
        var partial = store.Blobs.GetPath(old.Layers[0].Digest) + "-partial";
        var state = partial + ".json";
        File.WriteAllText(partial, "resumable download");
        File.WriteAllText(state, "{}");

        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.False(store.Blobs.Exists(old.Layers[0].Digest));
        Assert.True(File.Exists(partial));
        Assert.True(File.Exists(state));
    }

    [Fact]
    public void ACorruptReplacedManifestPrunesNothing()
    {
        var store = NewStore();
        var orphan = Blob(store, MediaTypes.Model, "orphan");
        var path = Path.Combine(store.ManifestsDirectory, "example.com", "ns", "m", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{not json");

        store.WriteManifest(Name, Model(store, "weights v2", "{}"));

        Assert.True(store.Blobs.Exists(orphan.Digest));
        Assert.Single(store.ListModels());
    }

    [Fact]
    public void AReservedBlobSurvivesUntilTheReservationEnds()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);

        // A pull of another model that shares the weights has checked they are present, but not written its manifest.
        var reservation = store.ReserveBlobs([old.Layers[0].Digest, old.Layers[0].Digest]);
        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));

        Assert.True(store.Blobs.Exists(old.Layers[0].Digest));
        Assert.False(store.Blobs.Exists(old.Config.Digest));
        Assert.True(store.IsBlobHeld(old.Layers[0].Digest));

        reservation.Dispose();
        reservation.Dispose();
        Assert.False(store.IsBlobHeld(old.Layers[0].Digest));
        Assert.Throws<ObjectDisposedException>(() => reservation.Add(old.Config.Digest));
        Assert.Equal([old.Layers[0].Digest], store.Prune().RemovedBlobs);
    }

    [Fact]
    public void ReservationsCountSoOneEndingDoesNotReleaseAnother()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        var first = store.ReserveBlobs([old.Layers[0].Digest]);
        var second = store.ReserveBlobs([old.Layers[0].Digest]);

        first.Dispose();
        store.WriteManifest(Name, old);
        Assert.True(store.Delete(Name));

        Assert.True(store.Blobs.Exists(old.Layers[0].Digest));
        Assert.False(store.Blobs.Exists(old.Config.Digest));
        second.Dispose();
        Assert.False(store.IsBlobHeld(old.Layers[0].Digest));
    }

    [Fact]
    public void AnUploadedBlobIsHeldUntilAManifestClaimsItOrTheHoldExpires()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);

        // A client asked whether the weights are present (so will not upload them) and will create next.
        Assert.True(store.TryHoldExistingBlob(old.Layers[0].Digest));
        Assert.False(store.TryHoldExistingBlob(BlobDigest.Compute("absent"u8)));
        Assert.False(store.IsBlobHeld(BlobDigest.Compute("absent"u8)));
        Assert.True(store.Delete(Name));
        Assert.True(store.Blobs.Exists(old.Layers[0].Digest));

        // Its create writes a manifest: from then on the manifest, not the hold, protects the blob.
        store.WriteManifest(Name, old);
        Assert.False(store.IsBlobHeld(old.Layers[0].Digest));
        store.WriteManifest(Name, Model(store, "weights v2", "{\"top_k\":1}"));
        Assert.False(store.Blobs.Exists(old.Layers[0].Digest));

        // A hold nobody claims runs out.
        var upload = Blob(store, MediaTypes.Model, "uploaded, never used");
        store.HoldUploadedBlob(upload.Digest);
        Assert.Empty(store.Prune().RemovedBlobs);
        _clock.Advance(ModelStore.UploadedBlobHold + TimeSpan.FromSeconds(1));
        Assert.Equal([upload.Digest], store.Prune().RemovedBlobs);
    }

    [Fact]
    public void RequireBlobsRefusesAManifestWithAMissingBlobAndKeepsTheOldOne()
    {
        var store = NewStore();
        var old = Model(store, "weights v1", "{}");
        store.WriteManifest(Name, old);
        var @new = Model(store, "weights v2", "{\"top_k\":1}");
        store.Blobs.Delete(@new.Layers[0].Digest);

        var error = Assert.Throws<MissingBlobException>(() => store.WriteManifest(Name, @new, requireBlobs: true));

        Assert.Equal(@new.Layers[0].Digest, error.Digest);
        Assert.Equal(old.Layers[0].Digest, store.GetManifest(Name).Manifest.Layers[0].Digest);
        Assert.All(old.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest)));
    }

    [Fact]
    public async Task ConcurrentReplacementsNeverRemoveABlobTheFinalManifestsUse()
    {
        var store = NewStore();
        var names = Enumerable.Range(0, 4).Select(i => ModelName.Parse($"example.com/ns/m{i}:latest")).ToArray();
        var versions = Enumerable.Range(0, 6).Select(v => Model(store, $"weights {v % 3}", $"{{\"v\":{v}}}")).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                var manifest = versions[(worker + i) % versions.Length];
                using var reservation = store.ReserveBlobs(manifest.AllBlobs.Select(l => l.Digest));

                // A blob pruned before the reservation is written again, as a pull would download it.
                foreach (var layer in manifest.AllBlobs.Where(l => !store.Blobs.Exists(l.Digest)))
                {
                    store.Blobs.AddBytesAsync(Content(versions, layer.Digest)).GetAwaiter().GetResult();
                }

                store.WriteManifest(names[(worker * 7 + i) % names.Length], manifest, requireBlobs: true);
            }
        })));

        foreach (var model in store.ListModels())
        {
            Assert.All(model.Manifest.AllBlobs, l => Assert.True(store.Blobs.Exists(l.Digest), $"{model.Name} lost {l.Digest}"));
        }

        var used = store.ListModels().SelectMany(m => m.Manifest.AllBlobs).Select(l => l.Digest).ToHashSet();
        Assert.All(store.Blobs.ListDigests(), d => Assert.Contains(d, used));
    }

    private static byte[] Content(Manifest[] versions, BlobDigest digest)
    {
        for (var v = 0; v < versions.Length; v++)
        {
            foreach (var (layer, text) in new[] { (versions[v].Layers[0], $"weights {v % 3}"), (versions[v].Layers[1], $"{{\"v\":{v}}}"), (versions[v].Config, ConfigFor($"weights {v % 3}")) })
            {
                if (layer.Digest == digest)
                {
                    return Encoding.UTF8.GetBytes(text);
                }
            }
        }

        throw new InvalidOperationException($"unknown blob {digest}");
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
