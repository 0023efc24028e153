using System.Runtime.CompilerServices;
using Corral.Models.Gguf;
using Corral.Server.Resolution;

namespace Corral.Server.Inference;

/// <summary>
/// The BOS and EOS texts a GGUF's Jinja chat template writes (<c>bos_token</c>, <c>eos_token</c>): Llama 2, Mistral and
/// Zephyr close every past turn with <c>&lt;/s&gt;</c>, so an empty <c>eos_token</c> ran the turns together. Read from
/// the vocabulary in the GGUF header only when the template names them, once per model version. A rendered prompt's
/// leading BOS text is dropped when the runner adds BOS itself (the tokenizer's <c>add_bos_token</c>, as llama.cpp's
/// chat code does), so the model never sees two.
/// </summary>
internal sealed record TemplateTokens(string Bos, string Eos, bool RunnerAddsBos)
{
    public static readonly TemplateTokens None = new(string.Empty, string.Empty, RunnerAddsBos: true);

    private static readonly ConditionalWeakTable<ResolvedModel, TemplateTokens> Known = new();

    private static readonly GgufReadOptions VocabularyOnly = GgufReadOptions.MetadataOnly with
    {
        AlwaysMaterialize = new HashSet<string>(StringComparer.Ordinal) { GgufKeys.Tokens },
    };

    /// <summary>The texts for <paramref name="model"/>'s template <paramref name="jinja"/> (its GGUF's own).</summary>
    public static TemplateTokens For(ResolvedModel model, string jinja) =>
        jinja.Contains("bos_token", StringComparison.Ordinal) || jinja.Contains("eos_token", StringComparison.Ordinal)
            ? Known.GetValue(model, Read)
            : None;

    /// <summary>The prompt as the runner should receive it: without a leading BOS text it will add as a token anyway.</summary>
    public string WithoutLeadingBos(string rendered) =>
        RunnerAddsBos && Bos.Length > 0 && rendered.StartsWith(Bos, StringComparison.Ordinal) ? rendered[Bos.Length..] : rendered;

    private static TemplateTokens Read(ResolvedModel model)
    {
        IReadOnlyList<string> tokens;
        try
        {
            tokens = GgufReader.Read(model.ModelPath, VocabularyOnly).TryGetArray(GgufKeys.Tokens, out var array) && array.ElementType == GgufValueType.String
                ? array.AsStrings()
                : [];
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
        {
            return None;
        }

        var gguf = model.Gguf;
        // llama.cpp's default when the GGUF does not say: SentencePiece and WordPiece vocabularies add BOS (CLS).
        var addsBos = gguf.Metadata.TryGetValue(GgufKeys.AddBosToken, out var flag) && flag.Type == GgufValueType.Bool
            ? flag.AsBool()
            : gguf.TryGetString(GgufKeys.TokenizerModel, out var kind) && kind is "llama" or "bert";
        return new TemplateTokens(Token(gguf, GgufKeys.BosTokenId, tokens), Token(gguf, GgufKeys.EosTokenId, tokens), addsBos);
    }

    private static string Token(GgufFile gguf, string key, IReadOnlyList<string> tokens) =>
        gguf.TryGetUInt32(key, out var id) && id < tokens.Count ? tokens[(int)id] : string.Empty;
}
