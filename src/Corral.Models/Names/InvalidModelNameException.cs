namespace Corral.Models.Names;

/// <summary>A model name that is not a valid name (the client's mistake, a 400); an <see cref="ArgumentException"/>.</summary>
public sealed class InvalidModelNameException(ModelName name, string? parameter = null)
    : ArgumentException($"invalid model name '{name}'", parameter);
