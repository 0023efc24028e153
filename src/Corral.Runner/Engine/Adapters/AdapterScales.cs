namespace Corral.Runner.Engine.Adapters;

/// <summary>
/// One scale per LoRA adapter of the model, compared by value: the KV a slot holds was computed under one such set,
/// and only tokens under equal sets can share a decode (llama.cpp applies adapters per context, not per sequence).
/// </summary>
internal sealed class AdapterScales : IEquatable<AdapterScales>
{
    public AdapterScales(float[] values) => Values = values;

    /// <summary>The set of a model without adapters.</summary>
    public static AdapterScales None { get; } = new([]);

    public float[] Values { get; }

    public bool Equals(AdapterScales? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Values.Length != Values.Length)
        {
            return false;
        }

        for (var i = 0; i < Values.Length; i++)
        {
            // == (not bit equality): llama.cpp treats 0 and -0 alike (both leave the adapter out).
            if (Values[i] != other.Values[i])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as AdapterScales);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value == 0 ? 0f : value);
        }

        return hash.ToHashCode();
    }
}
