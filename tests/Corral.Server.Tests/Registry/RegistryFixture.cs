using Corral.Testing;
using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>One real docker-registry and one real server (in this process) shared by a test class.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public LocalRegistry Registry { get; private set; } = null!;
    public IServerUnderTest Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await LocalRegistry.StartAsync();
        Server = await InProcessServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
