using System.Security.Cryptography;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

/// <summary>One real server (in this process, <see cref="InProcessServer"/>) per test class, with a fresh model store.</summary>
public class ServerFixture : IAsyncLifetime
{
    private InProcessServer? _server;

    public IServerUnderTest Server => _server ?? throw new InvalidOperationException("server not started");

    public OllamaClient Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(Environment);
        Http = _server.CreateClient();
        Client = new OllamaClient(_server.CreateClient(), ownsHttpClient: true);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public string BlobsPath => Path.Combine(Server.ModelsPath, "blobs");

    public bool BlobOnDisk(string digest) => File.Exists(Path.Combine(BlobsPath, digest.Replace(':', '-')));

    /// <summary>Uploads a file the way `ollama create` does: HEAD, then POST when missing. Returns its digest.</summary>
    public async Task<string> UploadAsync(string path)
    {
        var digest = DigestOf(path);
        if (!await Client.HeadBlobAsync(digest))
        {
            await using var file = File.OpenRead(path);
            await Client.PushBlobAsync(digest, file);
        }

        return digest;
    }

    /// <summary>Creates a model from a GGUF file; returns the progress lines.</summary>
    public async Task<List<ProgressResponse>> CreateFromFileAsync(string name, string ggufPath, Action<CreateRequest>? configure = null)
    {
        var digest = await UploadAsync(ggufPath);
        var request = new CreateRequest { Model = name, Files = new() { ["model.gguf"] = digest } };
        configure?.Invoke(request);
        return await CollectAsync(Client.CreateAsync(request));
    }

    public static async Task<List<T>> CollectAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    public static string DigestOf(string path)
    {
        using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}

/// <summary>A server with OLLAMA_NOPRUNE set.</summary>
public sealed class NoPruneServerFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string>? Environment { get; } = new Dictionary<string, string> { ["OLLAMA_NOPRUNE"] = "1" };
}
