namespace Corral.Server.OpenAI.Responses;

/// <summary>A background response's token, and why it fired: the client's cancel, or the server stopping.</summary>
public sealed class BackgroundCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private volatile bool _byClient;

    public CancellationToken Token => _source.Token;

    /// <summary>True when a client's cancel stopped it (status <c>cancelled</c>), false when the server stopped it.</summary>
    public bool ByClient => _byClient;

    public void Cancel(bool byClient)
    {
        _byClient |= byClient;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished meanwhile.
        }
    }

    public void Dispose() => _source.Dispose();
}
