namespace Corral.Cli.Interactive;

internal enum MultiLinePurpose
{
    /// <summary>A message to the model.</summary>
    Prompt,

    /// <summary>The text of <c>/set system """...</c>.</summary>
    System,
}
