using System.Diagnostics;
using Corral.Templates.Library;

namespace Corral.Templates.Tests.Library;

/// <summary>
/// Published Jinja chat templates against Corral's library: each library template is recognised in at least one real
/// model family's template, and templates of other formats match nothing.
/// </summary>
public sealed class ChatTemplateMatcherTests
{
    /// <summary>(folder, file, the family's BOS and EOS token texts, expected library template or "" for none).</summary>
    public static TheoryData<string, string, string, string, string> PublishedTemplates() => new()
    {
        // The golden tests' templates (Jinja/Templates, copied from llama.cpp's models/templates and the models' repos).
        { "Jinja/Templates", "CohereForAI-c4ai-command-r7b-12-2024-tool_use.jinja", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>", "" },
        { "Jinja/Templates", "HuggingFaceTB-SmolLM3-3B.jinja", "", "<|im_end|>", "" },
        { "Jinja/Templates", "Mistral-Small-3.2-24B-Instruct-2506.jinja", "<s>", "</s>", "" },
        { "Jinja/Templates", "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja", "<|begin_of_text|>", "<|im_end|>", "" },
        { "Jinja/Templates", "NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja", "<|begin_of_text|>", "<|im_end|>", "" },
        { "Jinja/Templates", "Qwen-QwQ-32B.jinja", "", "<|im_end|>", "" },
        { "Jinja/Templates", "Qwen-Qwen2.5-7B-Instruct.jinja", "", "<|im_end|>", "" },
        { "Jinja/Templates", "Qwen-Qwen3-0.6B.jinja", "", "<|im_end|>", "qwen3" },
        { "Jinja/Templates", "Qwen3-Coder.jinja", "", "<|im_end|>", "chatml" },
        { "Jinja/Templates", "deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "" },
        { "Jinja/Templates", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "" },
        { "Jinja/Templates", "deepseek-ai-DeepSeek-V3.1.jinja", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "" },
        { "Jinja/Templates", "google-gemma-2-2b-it.jinja", "<bos>", "<eos>", "gemma" },
        { "Jinja/Templates", "google-gemma-3-it.jinja", "<bos>", "<eos>", "gemma" },
        { "Jinja/Templates", "google-gemma-4-31B-it.jinja", "<bos>", "<eos>", "" },
        { "Jinja/Templates", "ibm-granite-granite-3.3-2B-Instruct.jinja", "<|end_of_text|>", "<|end_of_text|>", "" },
        { "Jinja/Templates", "meta-llama-Llama-3.1-8B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", "llama3.1" },
        { "Jinja/Templates", "meta-llama-Llama-3.2-3B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", "" },
        { "Jinja/Templates", "meta-llama-Llama-3.3-70B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", "llama3.1" },
        { "Jinja/Templates", "microsoft-Phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>", "phi-3" },
        { "Jinja/Templates", "microsoft-phi-4.jinja", "<|endoftext|>", "<|im_end|>", "phi-4" },
        { "Jinja/Templates", "mistralai-Mistral-Nemo-Instruct-2407.jinja", "<s>", "</s>", "mistral-v3-tekken" },
        { "Jinja/Templates", "moonshotai-Kimi-K2.jinja", "[BOS]", "[EOS]", "" },
        { "Jinja/Templates", "openai-gpt-oss-120b.jinja", "<|startoftext|>", "<|return|>", "" },
        { "Jinja/Templates", "unsloth-mistral-Devstral-Small-2507.jinja", "<s>", "</s>", "" },
        // Further published templates (Library/Published, see its README).
        { "Library/Published", "CohereForAI-c4ai-command-r-plus.jinja", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>", "command-r" },
        { "Library/Published", "HuggingFaceH4-zephyr-7b-beta.jinja", "<s>", "</s>", "zephyr" },
        { "Library/Published", "google-gemma-7b-it.jinja", "<bos>", "<eos>", "gemma" },
        { "Library/Published", "ibm-granite-granite-3.0-8b-instruct.jinja", "<|end_of_text|>", "<|end_of_text|>", "granite3" },
        { "Library/Published", "meta-llama-Llama-2-7b-chat-hf.jinja", "<s>", "</s>", "llama2-chat" },
        { "Library/Published", "meta-llama-Meta-Llama-3-8B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>", "llama3" },
        { "Library/Published", "microsoft-Phi-3-mini-4k-instruct.jinja", "<s>", "<|endoftext|>", "" },
        { "Library/Published", "microsoft-Phi-3-small-8k-instruct.jinja", "<|endoftext|>", "<|endoftext|>", "phi-3" },
        { "Library/Published", "microsoft-Phi-3-vision-128k-instruct.jinja", "<s>", "</s>", "phi-3" },
        { "Library/Published", "mistralai-Mistral-7B-Instruct-v0.1.jinja", "<s>", "</s>", "mistral-v1" },
        { "Library/Published", "mistralai-Mistral-Large-Instruct-2407.jinja", "<s>", "</s>", "mistral-v3" },
        { "Library/Published", "openchat-openchat-3.5-0106.jinja", "<s>", "<|end_of_turn|>", "openchat" },
        { "Library/Published", "teknium-OpenHermes-2.5-Mistral-7B.jinja", "<s>", "<|im_end|>", "chatml" },
    };

    [Theory]
    [MemberData(nameof(PublishedTemplates))]
    public void PublishedTemplateMatchesItsFormatAndNothingElse(string folder, string file, string bos, string eos, string expected)
    {
        var source = Read(folder, file);

        var candidates = ChatTemplateMatcher.Candidates(source, bos, eos).Select(c => c.Name).ToList();

        Assert.Equal(expected.Length == 0 ? [] : [expected], candidates);
        Assert.Equal(expected.Length == 0 ? null : expected, ChatTemplateMatcher.Match(source, bos, eos)?.Name);
    }

    [Fact]
    public void EveryLibraryTemplateIsRecognisedInAPublishedTemplate()
    {
        var recognised = PublishedTemplates().Select(row => (string)row[4]).Where(n => n.Length > 0).ToHashSet();
        Assert.Equal(KnownChatTemplates.All.Select(t => t.Name).Order(StringComparer.Ordinal), recognised.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TemplatesThatNeedTheEndOfSequenceTextDoNotMatchWithoutIt()
    {
        // Zephyr writes eos_token after every turn: with an unknown EOS the Jinja output lacks the "</s>" the Go template has.
        Assert.Null(ChatTemplateMatcher.Match(Read("Library/Published", "HuggingFaceH4-zephyr-7b-beta.jinja")));
        // Llama 2 starts every later turn with bos_token; only the leading one is llama.cpp's to add.
        Assert.Null(ChatTemplateMatcher.Match(Read("Library/Published", "meta-llama-Llama-2-7b-chat-hf.jinja"), "", "</s>"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{% for m in messages %}{{ m.content }}{% endfor %}")]
    [InlineData("{% for m in messages %}<|im_start|>{{ m.role }}: {{ m.content }}\n{% endfor %}<|im_start|>assistant:")]
    [InlineData("<|im_start|>{% if %}{{")]
    [InlineData("<|im_start|>{{ raise_exception('no') }}")]
    [InlineData("<|im_start|>{{ messages[7].content.upper() }}")]
    [InlineData("<|im_start|>{% for m in messages %}{{ m.content }}{% endfor %}{{ 1 / 0 }}")]
    [InlineData("<|start_header_id|>{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")]
    [InlineData("<start_of_turn>{{ 'x' * 'y' }}{{ none.attribute }}")]
    public void OtherTemplatesMatchNothing(string source) =>
        Assert.Null(ChatTemplateMatcher.Match(source, "<s>", "</s>"));

    [Fact]
    public void NullAndHugeTemplatesMatchNothing()
    {
        Assert.Null(ChatTemplateMatcher.Match(null));
        var huge = Read("Library/Published", "teknium-OpenHermes-2.5-Mistral-7B.jinja") + "{# " + new string('x', 300_000) + " #}";
        Assert.Null(ChatTemplateMatcher.Match(huge));
    }

    [Fact]
    public void DeeplyNestedTemplateMatchesNothing()
    {
        var nested = "<|im_start|>{{ " + new string('(', 200_000) + "1" + new string(')', 200_000) + " }}";
        Assert.Null(ChatTemplateMatcher.Match(nested));
    }

    [Fact]
    public void EndlessTemplateGivesUpWithinItsBudget()
    {
        var endless = "<|im_start|>{% for a in range(100000) %}{% for b in range(100000) %}{{ '' }}{% endfor %}{% endfor %}";
        var watch = Stopwatch.StartNew();
        Assert.Null(ChatTemplateMatcher.Match(endless));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void AnswersAreCachedPerSourceAndTokens()
    {
        var source = Read("Library/Published", "teknium-OpenHermes-2.5-Mistral-7B.jinja");
        var first = ChatTemplateMatcher.Match(source, "<s>", "<|im_end|>");
        Assert.NotNull(first);
        Assert.Same(first, ChatTemplateMatcher.Match(source, "<s>", "<|im_end|>"));
        Assert.Same(KnownChatTemplates.Find("chatml"), first);
    }

    private static string Read(string folder, string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, folder, file));
}
