using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>
/// A real server (in this process) and a model "vision" made with <c>corral create</c> from a Modelfile with two FROM lines:
/// the generated text model and its tiny CLIP projector (32×32 images, 16 positions each), temperature 0.
/// </summary>
public sealed class CliVisionFixture : IAsyncLifetime
{
    public const string Model = "vision";

    public IServerUnderTest Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Home { get; } = Directory.CreateTempSubdirectory("corral-cli-home-").FullName;

    /// <summary>The Modelfile's folder; tests put their image files here too.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("corral-cli-vision-").FullName;

    public CliResult Created { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "1", ["OLLAMA_CONTEXT_LENGTH"] = "512" });
        Http = Server.CreateClient();
        File.Copy(GeneratedModels.VisionText, Path.Combine(Folder, "model.gguf"));
        File.Copy(GeneratedModels.VisionProjector, Path.Combine(Folder, "mmproj.gguf"));
        File.WriteAllText(Path.Combine(Folder, "Modelfile"), "FROM ./model.gguf\nFROM ./mmproj.gguf\nPARAMETER temperature 0\nPARAMETER num_predict 8\n");
        Created = await RunAsync(["create", Model, "-f", Path.Combine(Folder, "Modelfile")]);
    }

    public Task<CliResult> RunAsync(string[] args) => CorralCli.RunAsync(Server.HostAndPort, Home, args);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Home, recursive: true);
        Directory.Delete(Folder, recursive: true);
    }
}
