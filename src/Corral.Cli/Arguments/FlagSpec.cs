namespace Corral.Cli.Arguments;

/// <summary>
/// One flag of a verb, as cobra/pflag define it.
/// </summary>
/// <param name="Name">Long name without dashes ("format").</param>
/// <param name="Short">One-letter shorthand, or null.</param>
/// <param name="Kind">Boolean or valued.</param>
/// <param name="Description">Help text.</param>
/// <param name="ValueWhenBare">For a valued flag that may appear alone (<c>--think</c>): the value it then takes.</param>
internal sealed record FlagSpec(string Name, char? Short, FlagKind Kind, string Description, string? ValueWhenBare = null)
{
    public static FlagSpec Bool(string name, string description, char? shortName = null) => new(name, shortName, FlagKind.Boolean, description);

    public static FlagSpec Text(string name, string description, char? shortName = null, string? valueWhenBare = null) =>
        new(name, shortName, FlagKind.String, description, valueWhenBare);
}
