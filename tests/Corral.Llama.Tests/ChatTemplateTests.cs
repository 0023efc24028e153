namespace Corral.Llama.Tests;

public sealed class ChatTemplateTests
{
    [Fact]
    public void Builtin_chatml_template_formats_messages()
    {
        var prompt = LlamaChatTemplate.Apply("chatml",
            [new LlamaChatMessage("system", "Be brief."), new LlamaChatMessage("user", "Hi ünïcode")],
            addAssistant: true);
        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi ünïcode<|im_end|>\n<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void Long_output_grows_the_buffer()
    {
        var content = new string('x', 5000);
        var prompt = LlamaChatTemplate.Apply("chatml", [new LlamaChatMessage("user", content)], addAssistant: false);
        Assert.Contains(content, prompt);
    }

    [Fact]
    public void Unknown_template_throws()
    {
        Assert.Throws<LlamaException>(() =>
            LlamaChatTemplate.Apply("not a template {{ nothing }}", [new LlamaChatMessage("user", "x")], true));
    }
}
