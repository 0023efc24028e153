namespace Corral.TestModels;

/// <summary>llama.cpp's token attribute ids as stored in tokenizer.ggml.token_type.</summary>
public enum LlamaTokenType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
