using Corral.Llama.Multimodal;
using Corral.TestModels;

namespace Corral.Llama.Tests.Multimodal;

/// <summary>The random text model and its generated vision projector, loaded once per test class.</summary>
public sealed class VisionFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("corral-vision-").FullName;

    public VisionFixture()
    {
        TestEnvironment.EnsureMtmd();
        TextPath = Path.Combine(_folder, "text.gguf");
        ProjectorPath = Path.Combine(_folder, "projector.gguf");
        TestModelWriter.WriteRandom(TextPath);
        TestModelWriter.WriteVisionProjector(ProjectorPath);
        Model = LlamaModel.Load(TextPath);
        Projector = MtmdContext.Load(ProjectorPath, Model, threads: 2, useGpu: false);
    }

    public string TextPath { get; }

    public string ProjectorPath { get; }

    public LlamaModel Model { get; }

    public MtmdContext Projector { get; }

    /// <summary>A fresh single-sequence context of 256 cells.</summary>
    public LlamaContext CreateContext() => LlamaContext.Create(Model, new LlamaContextOptions
    {
        ContextSize = 256,
        BatchSize = 64,
        UBatchSize = 64,
        SeqMax = 1,
        Threads = 2,
        BatchThreads = 2,
    });

    public void Dispose()
    {
        Projector.Dispose();
        Model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
