namespace Corral.Models.Names;

/// <summary>
/// Ollama's validation rules for one part of a model name. Only ASCII letters, digits and
/// '_' may start a part; after that '-' and '_' are allowed everywhere, '.' everywhere but
/// in the namespace, and ':' only in the host (for a port). Lengths: host 1–350, other parts
/// 1–80. Because '/' , '\\', NUL and non-ASCII bytes are never allowed and a part cannot start
/// with '.', a valid part can never be "." or ".." or carry a path separator.
/// </summary>
public static class ModelNamePart
{
    public const int MaxHostLength = 350;
    public const int MaxPartLength = 80;

    public static bool IsValid(ModelNamePartKind kind, string? part)
    {
        if (string.IsNullOrEmpty(part))
        {
            return false;
        }

        var max = kind == ModelNamePartKind.Host ? MaxHostLength : MaxPartLength;
        if (part.Length > max || !IsAlphanumericOrUnderscore(part[0]))
        {
            return false;
        }

        for (var i = 1; i < part.Length; i++)
        {
            var c = part[i];
            var ok = c switch
            {
                '-' or '_' => true,
                '.' => kind != ModelNamePartKind.Namespace,
                ':' => kind == ModelNamePartKind.Host,
                _ => IsAlphanumericOrUnderscore(c),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlphanumericOrUnderscore(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
}
