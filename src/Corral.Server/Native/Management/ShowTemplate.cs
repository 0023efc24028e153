using System.Runtime.CompilerServices;
using Corral.Models.Gguf;
using Corral.Server.Inference;
using Corral.Server.Models;
using Corral.Templates.Library;

namespace Corral.Server.Native.Management;

/// <summary>
/// <c>template</c> in /api/show, which Ollama always sends and clients display and copy: the model's TEMPLATE layer;
/// else the library Go template its GGUF's Jinja chat template renders exactly like (what Ollama would have stored as
/// the layer at create time); else that Jinja text itself, since it is what Corral renders prompts with; else
/// <c>{{ .Prompt }}</c>. Worked out on the first show of each model version and kept with it, never for a chat.
/// </summary>
internal static class ShowTemplate
{
    private static readonly ConditionalWeakTable<ResolvedModel, string> Known = new();

    private static readonly GgufReadOptions VocabularyOnly = GgufReadOptions.MetadataOnly with
    {
        AlwaysMaterialize = new HashSet<string>(StringComparer.Ordinal) { GgufKeys.Tokens },
    };

    public static string For(ResolvedModel model) => model.Template ?? Known.GetValue(model, Work);

    private static string Work(ResolvedModel model)
    {
        if (PromptBuilder.JinjaTemplateFor(model, null) is not { } jinja)
        {
            return PromptBuilder.PlainTemplate;
        }

        var (bos, eos) = SpecialTokens(model, jinja);
        return ChatTemplateMatcher.Match(jinja, bos, eos)?.Text ?? jinja;
    }

    /// <summary>
    /// The BOS and EOS token texts (templates write them between turns, e.g. Llama 2's and Zephyr's), "" when unknown.
    /// Only read when the template names them: it means walking the vocabulary in the GGUF header.
    /// </summary>
    private static (string Bos, string Eos) SpecialTokens(ResolvedModel model, string jinja)
    {
        if (!jinja.Contains("bos_token", StringComparison.Ordinal) && !jinja.Contains("eos_token", StringComparison.Ordinal))
        {
            return ("", "");
        }

        IReadOnlyList<string> tokens;
        try
        {
            tokens = GgufReader.Read(model.ModelPath, VocabularyOnly).TryGetArray(GgufKeys.Tokens, out var array) && array.ElementType == GgufValueType.String
                ? array.AsStrings()
                : [];
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
        {
            return ("", "");
        }

        return (Token(model.Gguf, GgufKeys.BosTokenId, tokens), Token(model.Gguf, GgufKeys.EosTokenId, tokens));
    }

    private static string Token(GgufFile gguf, string key, IReadOnlyList<string> tokens) =>
        gguf.TryGetUInt32(key, out var id) && id < tokens.Count ? tokens[(int)id] : "";
}
