using Corral.Llama.Multimodal;
using Corral.TestModels;

namespace Corral.Llama.Tests.Multimodal;

/// <summary>Projectors that cannot be used fail with an exception, never by taking the process down.</summary>
public sealed class MtmdLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("corral-mtmd-load-").FullName;

    public MtmdLoadTests() => TestEnvironment.EnsureMtmd();

    [Fact]
    public void A_missing_projector_file_is_reported()
    {
        using var model = LoadRandom();
        var error = Assert.Throws<MtmdException>(() => MtmdContext.Load(Path.Combine(_folder, "absent.gguf"), model, 1));
        Assert.Contains("file not found", error.Message);
    }

    [Fact]
    public void A_projector_for_another_embedding_width_is_refused()
    {
        var successor = Path.Combine(_folder, "successor.gguf");
        TestModelWriter.WriteSuccessor(successor); // n_embd 320, the projector makes 64
        var projector = Path.Combine(_folder, "projector.gguf");
        TestModelWriter.WriteVisionProjector(projector);
        using var model = LlamaModel.Load(successor);

        var error = Assert.Throws<MtmdException>(() => MtmdContext.Load(projector, model, 1, useGpu: false));
        Assert.Contains("mismatch", error.Message);
    }

    [Fact]
    public void A_text_model_is_not_a_projector()
    {
        using var model = LoadRandom();
        Assert.Throws<MtmdException>(() => MtmdContext.Load(model.Path, model, 1, useGpu: false));
    }

    [Fact]
    public void A_file_that_is_not_gguf_is_not_a_projector()
    {
        using var model = LoadRandom();
        var junk = Path.Combine(_folder, "junk.gguf");
        File.WriteAllBytes(junk, TestPng.Gradient(4, 4));
        Assert.Throws<MtmdException>(() => MtmdContext.Load(junk, model, 1, useGpu: false));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private LlamaModel LoadRandom()
    {
        var path = Path.Combine(_folder, $"random-{Guid.NewGuid():N}.gguf");
        TestModelWriter.WriteRandom(path);
        return LlamaModel.Load(path);
    }
}
