namespace Corral.TestModels;

/// <summary>
/// Expected greedy output of the successor model: the generated text, its token ids (end-of-generation token
/// not included) and whether generation stopped on an end-of-generation token (else it hit the token limit).
/// </summary>
public sealed record SuccessorExpectation(string Text, IReadOnlyList<int> Tokens, bool EndedWithEndOfGeneration)
{
    public int TokenCount => Tokens.Count;
}
