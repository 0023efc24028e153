using Microsoft.Extensions.Hosting;

namespace Corral.Testing;

/// <summary>
/// The lifetime of a server that is a guest in the test host (<see cref="InProcessServer"/>): it starts and stops when
/// its test says so, never on a signal. The console lifetime <c>corral serve</c> has would hook SIGTERM and SIGINT for
/// the whole test host and turn them into a stop of this one server.
/// </summary>
internal sealed class GuestLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
