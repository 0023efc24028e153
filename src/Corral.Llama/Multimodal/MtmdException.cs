namespace Corral.Llama.Multimodal;

/// <summary>
/// A libmtmd call failed: the projector did not load, a prompt's markers and images did not
/// match, or evaluating a chunk failed. <see cref="Code"/> is the native result where there is one.
/// </summary>
public class MtmdException : LlamaException
{
    public MtmdException(string message, int code = 0) : base(message) => Code = code;

    /// <summary>The native return code (0 when the failure had none, e.g. a null handle).</summary>
    public int Code { get; }
}
