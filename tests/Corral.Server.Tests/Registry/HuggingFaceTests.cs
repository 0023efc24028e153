using Corral.Models.Names;
using Corral.Models.Registry;
using Corral.Models.Store;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>
/// hf.co names are pulled over the same OCI endpoints from Hugging Face's registry, which resolves a
/// quantization tag (default Q4_K_M for "latest") to a GGUF. hf.co is not reachable here, so requests
/// for it are routed to a local fake that implements those endpoints.
/// </summary>
public sealed class HuggingFaceTests : IAsyncLifetime
{
    private FakeRegistry _hf = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _hf = await FakeRegistry.StartAsync();
        _root = Directory.CreateTempSubdirectory("corral-hf-").FullName;

        // Hugging Face's rule: "latest" is Q4_K_M; quant tags match case-insensitively.
        _hf.ResolveTag = (_, tag) => tag == "latest" ? "Q4_K_M" : tag.ToUpperInvariant();
    }

    public async Task DisposeAsync()
    {
        await _hf.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private HttpClient RoutedClient() => new(new RouteHostTo("hf.co", _hf.BaseAddress, new SocketsHttpHandler { AllowAutoRedirect = false }));

    [Theory]
    [InlineData("hf.co/bartowski/SmolLM2-GGUF", "Q4_K_M")]
    [InlineData("hf.co/bartowski/SmolLM2-GGUF:q8_0", "Q8_0")]
    public async Task PullsAQuantizationWithTheHuggingFaceToken(string reference, string served)
    {
        var q4 = TestModelArtifacts.Create(seed: 4);
        var q8 = TestModelArtifacts.Create(seed: 8);
        q4.AddTo(_hf, "bartowski/SmolLM2-GGUF:Q4_K_M");
        q8.AddTo(_hf, "bartowski/SmolLM2-GGUF:Q8_0");
        _hf.RequiredToken = "hf_secret";
        var store = new ModelStore(_root);
        using var http = RoutedClient();
        var client = new RegistryClient(http, new RegistryOptions { HuggingFaceToken = "hf_secret" });

        var name = ModelName.ParseValid(reference);
        await new ModelPuller(client, store).PullAsync(name, _ => { }, CancellationToken.None);

        var expected = served == "Q4_K_M" ? q4 : q8;
        Assert.True(store.TryGetManifest(name, out var stored));
        Assert.Equal(expected.ManifestBytes, File.ReadAllBytes(stored.ManifestPath));
        Assert.Equal("hf.co", stored.Name.Host);
        Assert.All(_hf.Requests, r => Assert.EndsWith("Bearer hf_secret", r));
        Assert.Contains(_hf.Requests, r => r.StartsWith("GET /v2/bartowski/SmolLM2-GGUF/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHuggingFaceTokenGoesToHuggingFaceOnly()
    {
        TestModelArtifacts.Create().AddTo(_hf, "user/model:latest");
        using var http = RegistryClient.CreateHttpClient();
        var client = new RegistryClient(http, new RegistryOptions { Insecure = true, HuggingFaceToken = "hf_secret" });

        await new ModelPuller(client, new ModelStore(_root)).PullAsync(ModelName.ParseValid($"{_hf.Host}/user/model"), _ => { }, CancellationToken.None);

        Assert.DoesNotContain(_hf.Requests, r => r.Contains("hf_secret"));
    }

    [Fact]
    public async Task MissingQuantizationIsNotFound()
    {
        using var http = RoutedClient();
        var client = new RegistryClient(http, new RegistryOptions());
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new ModelPuller(client, new ModelStore(_root)).PullAsync(ModelName.ParseValid("hf.co/user/repo:IQ1_S"), _ => { }, CancellationToken.None));
        Assert.Equal("pull model manifest: file does not exist", e.Message);
    }

    /// <summary>Sends requests for one host to a local server instead (the test's stand-in for DNS).</summary>
    private sealed class RouteHostTo(string host, Uri target, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && uri.Host == host)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
