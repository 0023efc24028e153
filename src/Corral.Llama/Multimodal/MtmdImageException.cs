namespace Corral.Llama.Multimodal;

/// <summary>
/// Image data that cannot be used: empty, not a format stb_image decodes (png, jpeg, bmp, gif, ...),
/// truncated or corrupt, or rejected by the projector's preprocessing. The caller's input is at
/// fault (a 400, not a 500).
/// </summary>
public sealed class MtmdImageException(string message, int code = 0) : MtmdException(message, code);
