using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>
/// A real server (in this process) and a model "tiny" made with <c>corral create</c> from a Modelfile next to a copy of the
/// generated successor GGUF (its greedy answer to any chat prompt is the alphabet).
/// </summary>
public sealed class CliServerFixture : IAsyncLifetime
{
    /// <summary>A Llama-3-shaped template: the prompt ends in "\n\n", after which the successor model answers the alphabet.</summary>
    public const string Template = "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"
        + "{{- range .Messages }}{{ if ne .Role \"system\" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}{{ end }}"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n";

    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    public IServerUnderTest Server { get; private set; } = null!;

    /// <summary>HOME of the CLI processes (history goes to HOME/.ollama/history).</summary>
    public string Home { get; } = Directory.CreateTempSubdirectory("corral-cli-home-").FullName;

    /// <summary>The folder with the Modelfile and the GGUF.</summary>
    public string ModelDirectory { get; } = Directory.CreateTempSubdirectory("corral-cli-model-").FullName;

    /// <summary>The output of the fixture's own <c>corral create tiny</c>.</summary>
    public CliResult Created { get; private set; } = null!;

    public static string Modelfile => $"FROM ./weights/successor.gguf\nTEMPLATE \"\"\"{Template}\"\"\"\nPARAMETER temperature 0\nPARAMETER num_ctx 1024\n";

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_CONTEXT_LENGTH"] = "1024" });
        Directory.CreateDirectory(Path.Combine(ModelDirectory, "weights"));
        File.Copy(GeneratedModels.Successor, Path.Combine(ModelDirectory, "weights", "successor.gguf"));
        File.WriteAllText(Path.Combine(ModelDirectory, "Modelfile"), Modelfile);
        Created = await RunAsync(["create", "tiny", "-f", Path.Combine(ModelDirectory, "Modelfile")]);
    }

    public Task<CliResult> RunAsync(string[] args, string? stdin = null, string? workingDirectory = null) =>
        CorralCli.RunAsync(Server.HostAndPort, Home, args, stdin, workingDirectory);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Home, recursive: true);
        Directory.Delete(ModelDirectory, recursive: true);
    }
}
