using Corral.Models.Gguf;

namespace Corral.Models.Creation;

/// <summary>
/// A draft model proposes token ids that the model then checks as its own, so both must have the same tokenizer, id
/// for id. Checked at create from the GGUF headers (the runner checks again at load, against llama.cpp's vocabularies).
/// </summary>
internal static class DraftVocabulary
{
    private static readonly GgufReadOptions TokensOnly = GgufIntegrity.ReadOptions;

    /// <exception cref="CreateInputException">The draft's tokenizer differs from the model's, or a file does not read.</exception>
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
            throw new CreateInputException($"invalid GGUF file: {ex.Message}");
        }

        var modelKind = model.TryGetString(GgufKeys.TokenizerModel, out var m) ? m : null;
        var draftKind = draft.TryGetString(GgufKeys.TokenizerModel, out var d) ? d : null;
        model.TryGetArray(GgufKeys.Tokens, out var modelTokens);
        draft.TryGetArray(GgufKeys.Tokens, out var draftTokens);
        if (modelKind != draftKind || modelTokens is null || draftTokens is null || !modelTokens.Equals(draftTokens))
        {
            throw new CreateInputException(
                $"the draft model's vocabulary ({draftKind ?? "none"}, {draftTokens?.Count ?? 0} tokens) differs from the model's ({modelKind ?? "none"}, {modelTokens?.Count ?? 0} tokens)");
        }
    }
}
