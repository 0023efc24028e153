using System.Collections.Concurrent;

namespace Corral.Templates.Jinja;

/// <summary>Renders a GGUF's tokenizer.chat_template for a chat request; parsed templates are cached by source.</summary>
public static class JinjaChatTemplate
{
    private const int MaxCached = 64;
    private static readonly ConcurrentDictionary<string, JinjaTemplate> Cache = new(StringComparer.Ordinal);

    /// <exception cref="JinjaException">Syntax error in the template.</exception>
    public static JinjaTemplate GetOrParse(string source)
    {
        if (Cache.TryGetValue(source, out var cached))
        {
            return cached;
        }

        var parsed = JinjaTemplate.Parse(source);
        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        Cache[source] = parsed;
        return parsed;
    }

    /// <exception cref="JinjaRaiseException">The template rejected the conversation (answer 400).</exception>
    /// <exception cref="JinjaException">The template is broken or failed (answer 500).</exception>
    public static string Render(string source, JinjaChatInput input, TimeProvider? time = null) =>
        GetOrParse(source).Render(Variables(input), time);

    /// <summary>The variables Hugging Face passes to a chat template, for <paramref name="input"/>.</summary>
    internal static Dictionary<string, object?> Variables(JinjaChatInput input)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = input.Messages,
            ["tools"] = input.Tools,
            ["add_generation_prompt"] = input.AddGenerationPrompt,
            ["bos_token"] = input.BosToken,
            ["eos_token"] = input.EosToken,
        };
        if (input.EnableThinking is { } think)
        {
            variables["enable_thinking"] = think;
        }

        if (input.Extra is not null)
        {
            foreach (var (k, v) in input.Extra)
            {
                variables[k] = v;
            }
        }

        return variables;
    }
}
