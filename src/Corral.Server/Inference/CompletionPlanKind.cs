namespace Corral.Server.Inference;

/// <summary>What a validated chat or generate request asks the server to do.</summary>
public enum CompletionPlanKind
{
    /// <summary>Nothing to complete (no messages, no prompt): load the model, or unload it when keep_alive is 0.</summary>
    LoadOrUnload,

    /// <summary><c>_debug_render_only</c>: answer with the rendered prompt, load nothing.</summary>
    RenderOnly,

    /// <summary>A completion: take a runner slot and stream.</summary>
    Run,
}
