using Corral.Runner.Client;
using Corral.Runner.Hosting;
using Corral.Testing;

namespace Corral.Runner.Tests.Rerank;

/// <summary>A real runner on the generated reranker, and one on the (mean-pooled) embedding model for the refusals.</summary>
public sealed class RerankRunnerFixture : IAsyncLifetime
{
    public RunnerProcess Reranker { get; private set; } = null!;

    public RunnerProcess Embedder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CorralPaths.UseCorralDllForRunners();
        Reranker = await StartAsync(GeneratedModels.Reranker);
        Embedder = await StartAsync(GeneratedModels.Embedding);
    }

    private static Task<RunnerProcess> StartAsync(string model) => RunnerProcess.StartAsync(
        new RunnerLaunchOptions { ModelPath = model, SocketPath = string.Empty, ContextPerSlot = 128, Embedding = true },
        progress: null,
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Reranker.DisposeAsync();
        await Embedder.DisposeAsync();
    }
}
