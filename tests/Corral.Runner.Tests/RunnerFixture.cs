using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Testing;

namespace Corral.Runner.Tests;

/// <summary>Starts real <c>corral runner</c> processes for the generated models, one per model per test class.</summary>
public sealed class RunnerFixture : IAsyncLifetime
{
    private readonly List<RunnerProcess> _started = [];

    public RunnerProcess Successor { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CorralPaths.UseCorralDllForRunners();
        Successor = await StartAsync(GeneratedModels.Successor, parallel: 4, context: 512);
    }

    public async Task<RunnerProcess> StartAsync(string model, int parallel = 1, int context = 512, bool embedding = false, string? projector = null, int promptCacheMegabytes = 0, string? draftModel = null, IReadOnlyList<string>? adapters = null)
    {
        var launch = new RunnerLaunchOptions
        {
            ModelPath = model,
            SocketPath = string.Empty,
            Parallel = parallel,
            ContextPerSlot = context,
            Embedding = embedding,
            ProjectorPath = projector,
            DraftModelPath = draftModel,
            AdapterPaths = adapters ?? [],
            PromptCacheMegabytes = promptCacheMegabytes,
        };
        var runner = await RunnerProcess.StartAsync(launch, progress: null, CancellationToken.None);
        _started.Add(runner);
        return runner;
    }

    public async Task DisposeAsync()
    {
        foreach (var runner in _started)
        {
            await runner.DisposeAsync();
        }
    }
}
