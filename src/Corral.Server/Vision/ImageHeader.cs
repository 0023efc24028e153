namespace Corral.Server.Vision;

/// <summary>What an image's header says: its format and pixel dimensions.</summary>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height);
