using Corral.Testing;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>
/// A real docker-registry, a publishing server (in this process) that pushes to it, and two that pull
/// from it: one pruning as Ollama does by default, one with OLLAMA_NOPRUNE.
/// </summary>
public sealed class RePullFixture : IAsyncLifetime
{
    public LocalRegistry Registry { get; private set; } = null!;
    public IServerUnderTest Publisher { get; private set; } = null!;
    public IServerUnderTest Puller { get; private set; } = null!;
    public IServerUnderTest NoPrunePuller { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await LocalRegistry.StartAsync();
        Publisher = await InProcessServer.StartAsync();
        Puller = await InProcessServer.StartAsync();
        NoPrunePuller = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NOPRUNE"] = "1" });
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { NoPrunePuller, Puller, Publisher })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
