namespace Corral.Templates.GoTemplates;

/// <summary>A function called with the wrong number of arguments ("want 1 got 2").</summary>
public sealed class TemplateArityException(string message) : Exception(message)
{
    public static void Require(ReadOnlySpan<TemplateValue> args, int count)
    {
        if (args.Length != count)
        {
            throw new TemplateArityException($"want {count} got {args.Length}");
        }
    }

    public static void RequireAtLeast(ReadOnlySpan<TemplateValue> args, int count)
    {
        if (args.Length < count)
        {
            throw new TemplateArityException($"want at least {count} got {args.Length}");
        }
    }
}
