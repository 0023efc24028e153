namespace Corral.Llama;

/// <summary>A token id (<c>llama_token</c>). Same layout as an int, so spans can be passed to native code as is.</summary>
public readonly record struct LlamaToken(int Value)
{
    public static implicit operator LlamaToken(int value) => new(value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
