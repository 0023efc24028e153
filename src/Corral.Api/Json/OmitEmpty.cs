namespace Corral.Api.Json;

/// <summary>
/// Go's <c>omitempty</c> drops "" and empty slices; System.Text.Json only drops null. Wire types run their
/// setters through these so that an empty value is stored as null and therefore left out when written.
/// </summary>
public static class OmitEmpty
{
    public static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public static IReadOnlyList<T>? List<T>(IReadOnlyList<T>? value) => value is { Count: 0 } ? null : value;
}
