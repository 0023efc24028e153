namespace Corral.Templates.Prompting;

/// <summary>A rendered chat prompt and the images it references, in [img-N] order.</summary>
public sealed record ChatPrompt(string Prompt, IReadOnlyList<byte[]> Images, int FirstMessageKept);
