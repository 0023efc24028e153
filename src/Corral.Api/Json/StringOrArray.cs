using System.Text.Json.Serialization;

namespace Corral.Api.Json;

/// <summary>
/// A JSON value that is either one string or an array of strings (embed <c>input</c>, create <c>license</c>,
/// OpenAI <c>stop</c>). Remembers which form it came in so it writes back the same way.
/// </summary>
[JsonConverter(typeof(StringOrArrayJsonConverter))]
public sealed class StringOrArray
{
    public StringOrArray(string value)
    {
        Values = [value];
        IsArray = false;
    }

    public StringOrArray(IReadOnlyList<string> values)
    {
        Values = values;
        IsArray = true;
    }

    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the JSON was (or will be written as) an array.</summary>
    public bool IsArray { get; }

    public static implicit operator StringOrArray(string value) => new(value);

    public static implicit operator StringOrArray(string[] values) => new(values);

    public override string ToString() => IsArray ? $"[{string.Join(", ", Values)}]" : Values[0];
}
