using System.Collections.Concurrent;
using Corral.Templates.Jinja;
using Corral.Templates.Prompting;

namespace Corral.Templates.Library;

/// <summary>
/// Recognises a GGUF's Jinja chat template as one of <see cref="KnownChatTemplates"/>: both render the same probe
/// conversations (<see cref="ChatTemplateProbe.All"/>) and a candidate is accepted only when every output is identical.
/// Ollama compares the template's text by edit distance instead, which takes a reformatted copy of a known template
/// for something else and rejects a known format written differently. Answers are cached per template source.
/// </summary>
public static class ChatTemplateMatcher
{
    private const int MaxCached = 64;

    /// <summary>Published chat templates are a few KB (among the longest, gpt-oss's is 17 KB); larger ones are not tried.</summary>
    private const int MaxSourceLength = 256 * 1024;

    /// <summary>All probes of one template together; only a hostile template loops this long.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<(string Source, string Bos, string Eos), KnownChatTemplate?> Cache = new();

    /// <summary>
    /// The library template that renders exactly like <paramref name="jinja"/>, or null. <paramref name="bosToken"/> and
    /// <paramref name="eosToken"/> are the GGUF's token texts (a template may write them between turns); one BOS at the
    /// start of the output is dropped, since llama.cpp adds it when tokenizing. Never throws: a template that fails to
    /// parse, fails every way, or runs too long matches nothing.
    /// </summary>
    public static KnownChatTemplate? Match(string? jinja, string bosToken = "", string eosToken = "")
    {
        if (string.IsNullOrEmpty(jinja) || jinja.Length > MaxSourceLength)
        {
            return null;
        }

        var key = (jinja, bosToken, eosToken);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var found = Candidates(jinja, bosToken, eosToken).FirstOrDefault();
        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        Cache[key] = found;
        return found;
    }

    /// <summary>Every library template that renders like <paramref name="jinja"/>, in library order (tests check there is one).</summary>
    internal static List<KnownChatTemplate> Candidates(string jinja, string bosToken, string eosToken)
    {
        var candidates = KnownChatTemplates.All.Where(t => t.Markers.All(m => jinja.Contains(m, StringComparison.Ordinal))).ToList();
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var expected = RenderProbes(jinja, bosToken, eosToken);
        var probes = ChatTemplateProbe.All;
        var compared = Enumerable.Range(0, probes.Count).Where(i => expected?[i] is not null).ToList();
        // At least two conversations, one of them with an answer in it, or a format is not pinned down.
        if (compared.Count < 2 || !compared.Any(i => probes[i].IsMultiTurn))
        {
            return [];
        }

        return candidates.Where(c => compared.All(i => RendersAs(c, probes[i], expected![i]!))).ToList();
    }

    /// <summary>The Jinja template's output per probe (null where it raised or failed), or null when it cannot be used at all.</summary>
    private static string?[]? RenderProbes(string jinja, string bosToken, string eosToken)
    {
        try
        {
            var template = JinjaTemplate.Parse(jinja);
            using var budget = new CancellationTokenSource(Budget);
            return ChatTemplateProbe.All.Select(p => RenderProbe(template, p, bosToken, eosToken, budget.Token)).ToArray();
        }
        catch (Exception)
        {
            // A syntax error, the budget spent, a template that exhausts memory: whatever it was, this is no known format.
            return null;
        }
    }

    private static string? RenderProbe(JinjaTemplate template, ChatTemplateProbe probe, string bosToken, string eosToken, CancellationToken cancellation)
    {
        var input = new JinjaChatInput
        {
            Messages = probe.JinjaMessages(),
            AddGenerationPrompt = true,
            BosToken = bosToken,
            EosToken = eosToken,
            EnableThinking = probe.Think?.Enabled,
        };
        string output;
        try
        {
            output = template.Render(JinjaChatTemplate.Variables(input), FixedClock.Instance, cancellation);
        }
        catch (JinjaException)
        {
            // Formats that refuse a system role (Gemma 2, Mistral v1) are compared on the other probes.
            return null;
        }

        return bosToken.Length > 0 && output.StartsWith(bosToken, StringComparison.Ordinal) ? output[bosToken.Length..] : output;
    }

    private static bool RendersAs(KnownChatTemplate candidate, ChatTemplateProbe probe, string expected)
    {
        try
        {
            return PromptRenderer.RenderMessages(candidate.Template, probe.Messages, null, probe.Think) == expected;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// A fixed date for strftime_now: a template that prints today's date renders differently every day, so it must
    /// not match a library template by the accident of the day it is probed.
    /// </summary>
    private sealed class FixedClock : TimeProvider
    {
        public static FixedClock Instance { get; } = new();

        public override DateTimeOffset GetUtcNow() => new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
