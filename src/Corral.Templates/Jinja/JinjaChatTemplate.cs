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

    /// <summary>
    /// How long one render may run. Real chat templates take milliseconds even for very long conversations; a GGUF's
    /// template is untrusted, and two nested loops over <c>range(100000)</c> would hold a core for hours.
    /// </summary>
    public static readonly TimeSpan DefaultRenderLimit = TimeSpan.FromSeconds(30);

    /// <param name="source">The template's text.</param>
    /// <param name="input">The conversation and the variables Hugging Face passes.</param>
    /// <param name="time">The clock for <c>strftime_now</c> and the time limit (the system clock by default).</param>
    /// <param name="limit">How long the render may run (<see cref="DefaultRenderLimit"/> by default).</param>
    /// <param name="cancellation">Stops the render early (at its next loop iteration or macro call).</param>
    /// <exception cref="JinjaRaiseException">The template rejected the conversation (answer 400).</exception>
    /// <exception cref="JinjaException">The template is broken, failed or ran out of time (answer 500).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public static string Render(string source, JinjaChatInput input, TimeProvider? time = null, TimeSpan? limit = null, CancellationToken cancellation = default)
    {
        time ??= TimeProvider.System;
        var allowed = limit ?? DefaultRenderLimit;
        var template = GetOrParse(source);
        using var timeout = new CancellationTokenSource(allowed, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        try
        {
            return template.Render(Variables(input), time, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new JinjaException($"template rendering took longer than {allowed.TotalSeconds:0.###} s");
        }
    }

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
