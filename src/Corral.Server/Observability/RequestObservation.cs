namespace Corral.Server.Observability;

/// <summary>
/// What the request log learns about one request while it runs (the model, token counts). Set by
/// <see cref="RequestObservationMiddleware"/> and filled from deeper down through an AsyncLocal,
/// so handlers need no extra parameter. Several choices of one request (OpenAI n) add up.
/// </summary>
public sealed class RequestObservation
{
    private static readonly AsyncLocal<RequestObservation?> Ambient = new();

    private int _promptTokens;
    private int _evalTokens;
    private int _completions;

    public static RequestObservation? Current
    {
        get => Ambient.Value;
        internal set => Ambient.Value = value;
    }

    public string? Model { get; set; }

    public int PromptTokens => Volatile.Read(ref _promptTokens);

    public int EvalTokens => Volatile.Read(ref _evalTokens);

    public bool HasTokens => Volatile.Read(ref _completions) > 0;

    public void AddCompletion(string model, int promptTokens, int evalTokens)
    {
        Model = model;
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _evalTokens, evalTokens);
        Interlocked.Increment(ref _completions);
    }
}
