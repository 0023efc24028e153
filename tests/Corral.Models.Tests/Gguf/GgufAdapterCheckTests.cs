using Corral.Models.Gguf;
using Corral.TestModels;

namespace Corral.Models.Tests.Gguf;

/// <summary>
/// <see cref="GgufAdapterCheck"/> against llama.cpp's own rules (llama-adapter.cpp), on generated adapters and the
/// successor model (n_embd 320, 2 blocks).
/// </summary>
public sealed class GgufAdapterCheckTests : IDisposable
{
    private static readonly int Vocab = SuccessorModel.Vocab.Count;
    private readonly string _folder = Directory.CreateTempSubdirectory("corral-adapter-check-").FullName;
    private readonly GgufFile _model;

    public GgufAdapterCheckTests()
    {
        var path = Path.Combine(_folder, "successor.gguf");
        TestModelWriter.WriteSuccessor(path);
        _model = GgufReader.Read(path, GgufReadOptions.MetadataOnly);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_adapter_made_for_the_model_passes()
    {
        var path = Path.Combine(_folder, "z.gguf");
        TestModelWriter.WriteSuccessorLora(path, 'z', 16);
        Assert.Null(GgufAdapterCheck.FindProblem(Read(path), _model));
    }

    [Fact]
    public void The_token_embedding_pair_is_checked_the_other_way_round()
    {
        // llama.cpp stores token_embd's pair transposed: A is {rank, n_vocab}, B is {rank, n_embd}.
        const int rank = 2;
        Assert.Null(Check(new LoraAdapterWriter.Target("token_embd.weight", rank, Vocab, Zero, Zero), bRows: 320, rank));
        Assert.Equal(
            "LoRA pair for 'token_embd.weight' has the wrong shape for the model (an adapter for another model?)",
            Check(new LoraAdapterWriter.Target("token_embd.weight", 320, Vocab, Zero, Zero), bRows: Vocab, rank));
    }

    [Theory]
    [InlineData("model", "lora", "llama", "not a LoRA adapter (general.type is 'model', not 'adapter')")]
    [InlineData("adapter", "control_vector", "llama", "not a LoRA adapter (adapter.type is 'control_vector', not 'lora')")]
    [InlineData("adapter", "lora", "qwen2", "adapter architecture 'qwen2' does not match the model's 'llama'")]
    public void Metadata_that_llama_cpp_refuses_is_named(string generalType, string adapterType, string arch, string problem)
    {
        var path = Path.Combine(_folder, "meta.gguf");
        LoraAdapterWriter.Write(path, arch, 1, 1f, [new LoraAdapterWriter.Target("output.weight", 320, Vocab, Zero, Zero)], generalType, adapterType);
        Assert.Equal(problem, GgufAdapterCheck.FindProblem(Read(path), _model));
    }

    [Fact]
    public void A_rank_that_differs_between_a_and_b_is_refused()
    {
        var w = new GgufWriter();
        w.AddString(GgufKeys.Architecture, "llama").AddString("general.type", "adapter").AddString("adapter.type", "lora");
        w.AddTensor("output.weight.lora_a", [320, 2], GgmlType.F32, new byte[320 * 2 * 4]);
        w.AddTensor("output.weight.lora_b", [3, Vocab], GgmlType.F32, new byte[3 * Vocab * 4]);
        var path = Path.Combine(_folder, "rank.gguf");
        w.WriteTo(path);
        Assert.Equal("LoRA pair for 'output.weight' has the wrong shape for the model (an adapter for another model?)", GgufAdapterCheck.FindProblem(Read(path), _model));
    }

    [Fact]
    public void A_lone_half_of_a_pair_or_a_stray_tensor_is_refused()
    {
        var lone = new GgufWriter();
        lone.AddString(GgufKeys.Architecture, "llama").AddString("general.type", "adapter").AddString("adapter.type", "lora");
        lone.AddTensor("output.weight.lora_a", [320, 2], GgmlType.F32, new byte[320 * 2 * 4]);
        var lonePath = Path.Combine(_folder, "lone.gguf");
        lone.WriteTo(lonePath);
        Assert.Equal("LoRA pair for 'output.weight' lacks its lora_b", GgufAdapterCheck.FindProblem(Read(lonePath), _model));

        var stray = new GgufWriter();
        stray.AddString(GgufKeys.Architecture, "llama").AddString("general.type", "adapter").AddString("adapter.type", "lora");
        stray.AddTensor("output.weight", [320, Vocab], GgmlType.F32, new byte[320 * Vocab * 4]);
        var strayPath = Path.Combine(_folder, "stray.gguf");
        stray.WriteTo(strayPath);
        Assert.Equal("tensor 'output.weight' is not part of a LoRA pair (.lora_a/.lora_b)", GgufAdapterCheck.FindProblem(Read(strayPath), _model));
    }

    private static float Zero(long _) => 0f;

    private static GgufFile Read(string path) => GgufReader.Read(path, GgufReadOptions.MetadataOnly);

    /// <summary>Writes token_embd's pair by hand: A {rank, input}, B {rank, <paramref name="bRows"/>}.</summary>
    private string? Check(LoraAdapterWriter.Target target, long bRows, int rank)
    {
        var w = new GgufWriter();
        w.AddString(GgufKeys.Architecture, "llama").AddString("general.type", "adapter").AddString("adapter.type", "lora");
        w.AddTensor(target.Weight + ".lora_a", [target.InputWidth, target.OutputWidth], GgmlType.F32, new byte[target.InputWidth * target.OutputWidth * 4]);
        w.AddTensor(target.Weight + ".lora_b", [rank, bRows], GgmlType.F32, new byte[rank * bRows * 4]);
        var path = Path.Combine(_folder, "embd.gguf");
        w.WriteTo(path);
        return GgufAdapterCheck.FindProblem(Read(path), _model);
    }
}
