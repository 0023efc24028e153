using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>/api/push and /api/pull of a real server against a real OCI registry.</summary>
public sealed class PullPushEndToEndTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private ModelStore Store => new(fixture.Server.ModelsPath);

    private static async Task<List<JsonElement>> PostLinesAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static List<string> Statuses(List<JsonElement> lines) =>
        lines.Select(l => l.TryGetProperty("status", out var s) ? s.GetString()! : "error: " + l.GetProperty("error").GetString()).Distinct().ToList();

    private async Task<(ModelName Name, TestModelArtifacts Model)> CreateLocalModelAsync(string host, string model, int seed)
    {
        var name = ModelName.ParseValid($"{host}/corral/{model}:v1");
        var artifacts = TestModelArtifacts.Create(size: 1 << 20, seed: seed);
        await artifacts.WriteToAsync(Store, name);
        return (name, artifacts);
    }

    private void AssertLocalModelIs(ModelName name, TestModelArtifacts model)
    {
        Assert.True(Store.TryGetManifest(name, out var stored), $"{name} is not in the store");
        Assert.Equal(model.ManifestBytes, File.ReadAllBytes(stored.ManifestPath));
        foreach (var (digest, content) in model.Blobs)
        {
            Assert.Equal(content, File.ReadAllBytes(Store.Blobs.GetPath(digest)));
        }
    }

    [Fact]
    public async Task PushDeletePullGivesBackIdenticalBytes()
    {
        var (name, model) = await CreateLocalModelAsync(fixture.Registry.Host, "roundtrip", seed: 11);
        using var client = fixture.Server.CreateClient();

        var push = await PostLinesAsync(client, "/api/push", $$"""{"model":"{{name.DisplayShortest()}}","insecure":true}""");
        var pushStatuses = Statuses(push);
        Assert.Equal("retrieving manifest", pushStatuses[0]);
        Assert.Contains($"pushing {model.ModelLayer.Digest.Hex[..12]}", pushStatuses);
        Assert.Equal(["pushing manifest", "success"], pushStatuses.TakeLast(2));
        var pushed = push.Last(l => l.TryGetProperty("digest", out var d) && d.GetString() == model.ModelLayer.Digest.ToString());
        Assert.Equal(model.ModelLayer.Size, pushed.GetProperty("completed").GetInt64());

        Assert.True(Store.Delete(name));
        Assert.False(Store.Blobs.Exists(model.ModelLayer.Digest));

        var pull = await PostLinesAsync(client, "/api/pull", $$"""{"model":"{{name.DisplayShortest()}}","insecure":true}""");
        var pullStatuses = Statuses(pull);
        Assert.Equal("pulling manifest", pullStatuses[0]);
        Assert.Contains($"pulling {model.ModelLayer.Digest.Hex[..12]}", pullStatuses);
        Assert.Equal(["verifying sha256 digest", "writing manifest", "success"], pullStatuses.TakeLast(3));
        AssertLocalModelIs(name, model);

        using var tags = await client.GetAsync("/api/tags");
        if (tags.StatusCode == HttpStatusCode.OK) // /api/tags lives in the management routes
        {
            Assert.Contains(name.DisplayShortest(), await tags.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task PushingAgainSkipsBlobsTheRegistryHas()
    {
        var (name, _) = await CreateLocalModelAsync(fixture.Registry.Host, "twice", seed: 12);
        await using var proxy = await FaultProxy.StartAsync(fixture.Registry.BaseAddress);
        var viaProxy = ModelName.ParseValid($"{proxy.Host}/corral/twice:v1");
        Store.Copy(name, viaProxy);
        using var client = fixture.Server.CreateClient();

        await PostLinesAsync(client, "/api/push", $$"""{"model":"{{viaProxy}}","insecure":true}""");
        var uploads = proxy.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal));
        Assert.True(uploads == 3, string.Join("\n", proxy.Requests));

        var again = await PostLinesAsync(client, "/api/push", $$"""{"name":"{{viaProxy}}","insecure":true,"stream":true}""");
        Assert.Equal("success", again[^1].GetProperty("status").GetString());
        Assert.Equal(uploads, proxy.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PullSurvivesAConnectionDroppedMidBlob()
    {
        var (name, model) = await CreateLocalModelAsync(fixture.Registry.Host, "flaky", seed: 13);
        using var client = fixture.Server.CreateClient();
        await PostLinesAsync(client, "/api/push", $$"""{"model":"{{name}}","insecure":true}""");
        Store.Delete(name);

        await using var proxy = await FaultProxy.StartAsync(fixture.Registry.BaseAddress);
        proxy.DropBlobAfterBytes = 300 << 10;
        proxy.DropCount = 1;
        var viaProxy = ModelName.ParseValid($"{proxy.Host}/corral/flaky:v1");

        var pull = await PostLinesAsync(client, "/api/pull", $$"""{"model":"{{viaProxy}}","insecure":true}""");

        Assert.Equal("success", pull[^1].GetProperty("status").GetString());
        AssertLocalModelIs(viaProxy, model);
        Assert.True(proxy.Requests.Any(r => r.Contains($"/blobs/{model.ModelLayer.Digest}") && r.Contains("bytes=")), string.Join("\n", proxy.Requests));
    }

    [Fact]
    public async Task PullOfAMissingModelFailsAsOllamaDoes()
    {
        using var client = fixture.Server.CreateClient();
        var name = $"{fixture.Registry.Host}/corral/absent:v1";

        var lines = await PostLinesAsync(client, "/api/pull", $$"""{"model":"{{name}}","insecure":true}""");
        Assert.Equal("pulling manifest", lines[0].GetProperty("status").GetString());
        Assert.Equal("pull model manifest: file does not exist", lines[^1].GetProperty("error").GetString());

        using var single = await client.PostAsync("/api/pull",
            new StringContent($$"""{"model":"{{name}}","insecure":true,"stream":false}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, single.StatusCode);
        Assert.Equal("""{"error":"pull model manifest: file does not exist"}""", await single.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NonStreamingPullAnswersOnceWithSuccess()
    {
        var (name, model) = await CreateLocalModelAsync(fixture.Registry.Host, "quiet", seed: 14);
        using var client = fixture.Server.CreateClient();
        using var push = await client.PostAsync("/api/push",
            new StringContent($$"""{"model":"{{name}}","insecure":true,"stream":false}""", Encoding.UTF8, "application/json"));
        Assert.Equal("""{"status":"success"}""", await push.Content.ReadAsStringAsync());
        Store.Delete(name);

        using var pull = await client.PostAsync("/api/pull",
            new StringContent($$"""{"model":"{{name}}","insecure":true,"stream":false}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        Assert.Equal("""{"status":"success"}""", await pull.Content.ReadAsStringAsync());
        AssertLocalModelIs(name, model);
    }

    [Theory]
    [InlineData("/api/pull", """{"model":""}""", "invalid model name")] // Ollama's pull words a missing name so
    [InlineData("/api/push", """{"model":""}""", "model is required")]
    [InlineData("/api/pull", """{"model":"bad name!"}""", "invalid model name")]
    [InlineData("/api/push", """{"model":"bad name!"}""", "invalid model name")]
    [InlineData("/api/pull", """{"model":"http://example.com/a/b"}""", "insecure protocol http")]
    [InlineData("/api/push", """{"model":"http://example.com/a/b"}""", "insecure protocol http")]
    public async Task BadRequestsAreRefusedBeforeStreaming(string path, string body, string error)
    {
        using var client = fixture.Server.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($$"""{"error":"{{error}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PushOfAMissingModelReportsAnError()
    {
        using var client = fixture.Server.CreateClient();
        var lines = await PostLinesAsync(client, "/api/push", $$"""{"model":"{{fixture.Registry.Host}}/corral/nothing:v1","insecure":true}""");
        Assert.Equal("retrieving manifest", lines[0].GetProperty("status").GetString());
        Assert.Contains("not found", lines[^1].GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientDisconnectCancelsThePullAndLeavesNoBlob()
    {
        var (name, model) = await CreateLocalModelAsync(fixture.Registry.Host, "abandoned", seed: 15);
        using var client = fixture.Server.CreateClient();
        await PostLinesAsync(client, "/api/push", $$"""{"model":"{{name}}","insecure":true}""");
        Store.Delete(name);

        await using var proxy = await FaultProxy.StartAsync(fixture.Registry.BaseAddress);
        proxy.StallBlobAfterBytes = 200 << 10;
        var viaProxy = ModelName.ParseValid($"{proxy.Host}/corral/abandoned:v1");
        var partial = Store.Blobs.GetPath(model.ModelLayer.Digest) + "-partial";

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pull")
            {
                Content = new StringContent($$"""{"model":"{{viaProxy}}","insecure":true}""", Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.Contains("\"completed\"") && line.Contains(model.ModelLayer.Digest.ToString()) && File.Exists(partial))
                {
                    break;
                }
            }
        } // disposing the response closes the connection: the client is gone

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && proxy.Requests.IsEmpty)
        {
            await Task.Delay(50);
        }

        await Task.Delay(1000);
        Assert.False(Store.Blobs.Exists(model.ModelLayer.Digest));
        Assert.False(Store.TryGetManifest(viaProxy, out _));
        Assert.True(File.Exists(partial));
        Assert.DoesNotContain(model.ModelLayer.Digest, Store.Blobs.ListDigests());
    }
}
