namespace Corral.Llama.Tests;

public sealed class QuantizerTests
{
    [Fact]
    public void Missing_input_throws_a_quantize_exception()
    {
        var output = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".gguf");
        Assert.Throws<LlamaQuantizeException>(() =>
            LlamaQuantizer.Quantize(output + ".missing", output, LlamaFileType.Q4_K_M, 1));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Non_gguf_input_throws_a_quantize_exception()
    {
        var input = Path.GetTempFileName();
        var output = input + ".out.gguf";
        try
        {
            File.WriteAllText(input, "not a model");
            Assert.Throws<LlamaQuantizeException>(() => LlamaQuantizer.Quantize(input, output, LlamaFileType.Q8_0, 1));
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }
}
