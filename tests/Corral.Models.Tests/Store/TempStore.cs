namespace Corral.Models.Tests.Store;

/// <summary>A throw-away models folder for one test.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "corral-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
