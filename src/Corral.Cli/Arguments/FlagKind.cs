namespace Corral.Cli.Arguments;

internal enum FlagKind
{
    /// <summary>Present means true; <c>--name=false</c> turns it off.</summary>
    Boolean,

    /// <summary>Takes a value (<c>--name value</c>, <c>--name=value</c>, <c>-n value</c>).</summary>
    String,
}
