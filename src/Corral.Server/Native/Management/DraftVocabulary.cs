using Corral.Models.Gguf;
using Corral.Server.Http;

namespace Corral.Server.Native.Management;

/// <summary>
/// A draft model proposes token ids that the model then checks as its own, so both must have the same tokenizer, id
/// for id. Checked at create from the GGUF headers (the runner checks again at load, against llama.cpp's vocabularies).
/// </summary>
internal static class DraftVocabulary
{
    private static readonly GgufReadOptions TokensOnly = GgufIntegrity.ReadOptions;

    /// <summary>Throws a 400 when the draft's tokenizer differs from the model's.</summary>
    public static void Check(string modelPath, string draftPath)
    {
        GgufFile model, draft;
        try
        {
            model = GgufReader.Read(modelPath, TokensOnly);
            draft = GgufReader.Read(draftPath, TokensOnly);
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or InvalidDataException)
        {
            throw ApiException.BadRequest($"invalid GGUF file: {ex.Message}");
        }

        var modelKind = model.TryGetString(GgufKeys.TokenizerModel, out var m) ? m : null;
        var draftKind = draft.TryGetString(GgufKeys.TokenizerModel, out var d) ? d : null;
        model.TryGetArray(GgufKeys.Tokens, out var modelTokens);
        draft.TryGetArray(GgufKeys.Tokens, out var draftTokens);
        if (modelKind != draftKind || modelTokens is null || draftTokens is null || !modelTokens.Equals(draftTokens))
        {
            throw ApiException.BadRequest(
                $"the draft model's vocabulary ({draftKind ?? "none"}, {draftTokens?.Count ?? 0} tokens) differs from the model's ({modelKind ?? "none"}, {modelTokens?.Count ?? 0} tokens)");
        }
    }
}
