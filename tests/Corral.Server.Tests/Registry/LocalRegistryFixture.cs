using Corral.Testing.Registry;

namespace Corral.Server.Tests.Registry;

/// <summary>One real docker-registry per test class.</summary>
public sealed class LocalRegistryFixture : IAsyncLifetime
{
    public LocalRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync() => Registry = await LocalRegistry.StartAsync();

    public async Task DisposeAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
    }
}
