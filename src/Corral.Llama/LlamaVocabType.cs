namespace Corral.Llama;

/// <summary>Tokenizer family (<c>enum llama_vocab_type</c>).</summary>
public enum LlamaVocabType
{
    None = 0,
    Spm = 1,
    Bpe = 2,
    Wpm = 3,
    Ugm = 4,
    Rwkv = 5,
    Plamo2 = 6,
    Test = 7,
}
