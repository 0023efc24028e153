using System.Security.Cryptography;
using System.Text;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

public sealed class NoPruneTests(NoPruneServerFixture fixture) : IClassFixture<NoPruneServerFixture>
{
    [Fact]
    public async Task Delete_KeepsBlobs_WithOllamaNoPrune()
    {
        var weights = ServerFixture.DigestOf(GeneratedModels.Embedding);
        await fixture.CreateFromFileAsync("keep-blobs", GeneratedModels.Embedding, r => r.System = "no prune system");
        await fixture.Client.DeleteAsync(new DeleteRequest { Model = "keep-blobs" });

        Assert.DoesNotContain((await fixture.Client.ListAsync()).Models, m => m.Name == "keep-blobs:latest");
        Assert.True(fixture.BlobOnDisk(weights));
        Assert.True(fixture.BlobOnDisk(ServerFixture.DigestOf("no prune system"u8.ToArray())));
    }

    [Fact]
    public async Task CreateOverAnExistingName_KeepsTheOldBlobs_WithOllamaNoPrune()
    {
        var weights = ServerFixture.DigestOf(GeneratedModels.Random);
        await fixture.CreateFromFileAsync("keep-replaced", GeneratedModels.Random, r => r.System = "replaced system");
        await fixture.CreateFromFileAsync("keep-replaced", GeneratedModels.ToolCaller, r => r.System = "replacing system");

        Assert.Equal("replacing system", (await fixture.Client.ShowAsync(new ShowRequest { Model = "keep-replaced" })).System);
        Assert.True(fixture.BlobOnDisk(weights));
        Assert.True(fixture.BlobOnDisk(ServerFixture.DigestOf("replaced system"u8.ToArray())));
    }
}

/// <summary>Stores written by hand before the server starts: Ollama's layout, startup pruning.</summary>
public sealed class StoreTests
{
    [Fact]
    public async Task StartupPrune_RemovesUnreferencedBlobs_UnlessNoPrune()
    {
        foreach (var noPrune in new[] { false, true })
        {
            var root = Directory.CreateTempSubdirectory("corral-prune-").FullName;
            var orphan = WriteBlob(root, Encoding.UTF8.GetBytes("orphan " + noPrune));
            var env = noPrune ? new Dictionary<string, string> { ["OLLAMA_NOPRUNE"] = "true" } : null;
            await using (await InProcessServer.StartAsync(env, root))
            {
                Assert.Equal(noPrune, File.Exists(BlobPath(root, orphan)));
            }

            Assert.False(Directory.Exists(root), "the test server removes its temp store");
        }
    }

    [Fact]
    public async Task AStoreWrittenInOllamasLayout_IsListedAndShown()
    {
        var root = Directory.CreateTempSubdirectory("corral-ollama-store-").FullName;
        try
        {
            var weights = File.ReadAllBytes(GeneratedModels.Random);
            var layers = new (string MediaType, byte[] Content)[]
            {
                ("application/vnd.ollama.image.model", weights),
                ("application/vnd.ollama.image.template", "{{ .System }} {{ .Prompt }}"u8.ToArray()),
                ("application/vnd.ollama.image.license", "Some License"u8.ToArray()),
                ("application/vnd.ollama.image.params", "{\"stop\":[\"<|im_end|>\"],\"temperature\":0.2}\n"u8.ToArray()),
            };
            var config = Encoding.UTF8.GetBytes(
                "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],\"model_type\":\"7B\",\"file_type\":\"Q4_0\"," +
                "\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}\n");
            var layerJson = string.Join(",", layers.Select(l =>
                $"{{\"mediaType\":\"{l.MediaType}\",\"digest\":\"{WriteBlob(root, l.Content)}\",\"size\":{l.Content.Length}}}"));
            var manifest = Encoding.UTF8.GetBytes(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"," +
                $"\"config\":{{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"{WriteBlob(root, config)}\",\"size\":{config.Length}}}," +
                $"\"layers\":[{layerJson}]}}");
            var manifestDir = Directory.CreateDirectory(Path.Combine(root, "manifests", "registry.ollama.ai", "library", "handmade")).FullName;
            File.WriteAllBytes(Path.Combine(manifestDir, "7b"), manifest);

            await using var server = await InProcessServer.StartAsync(modelsPath: root);
            using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
            var listed = Assert.Single((await client.ListAsync()).Models);
            Assert.Equal("handmade:7b", listed.Name);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifest)), listed.Digest);
            Assert.Equal(config.Length + layers.Sum(l => l.Content.Length), listed.Size);
            Assert.Equal("7B", listed.Details.ParameterSize);
            Assert.Equal("Q4_0", listed.Details.QuantizationLevel);

            var show = await client.ShowAsync(new ShowRequest { Model = "HandMade:7B" });
            Assert.Equal("{{ .System }} {{ .Prompt }}", show.Template);
            Assert.Equal("Some License", show.License);
            Assert.Equal("stop                           \"<|im_end|>\"\ntemperature                    0.2", show.Parameters);
            Assert.Equal("llama", show.ModelInfo!["general.architecture"]!.GetValue<string>());

            // Startup pruning left every referenced blob alone.
            Assert.Equal(layers.Length + 1, Directory.GetFiles(Path.Combine(root, "blobs")).Length);
        }
        finally
        {
            if (Directory.Exists(root)) // the server removes its temp store when it is disposed
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string WriteBlob(string root, byte[] content)
    {
        var digest = ServerFixture.DigestOf(content);
        Directory.CreateDirectory(Path.Combine(root, "blobs"));
        File.WriteAllBytes(BlobPath(root, digest), content);
        return digest;
    }

    private static string BlobPath(string root, string digest) => Path.Combine(root, "blobs", digest.Replace(':', '-'));
}
