using System.Text.RegularExpressions;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Testing;

namespace Corral.Server.Tests.Hosting;

/// <summary>
/// The server's log carries its runners' output, as Ollama's does: llama.cpp's verbose load lines with OLLAMA_DEBUG
/// (the runner logs them only then), each marked with the runner's process id and logged at the runner's level.
/// </summary>
public sealed class RunnerLogTests
{
    [Fact]
    public async Task With_OLLAMA_DEBUG_the_server_log_shows_llama_cpps_load_lines_from_the_runner()
    {
        var models = TempFolders.Create("corral-runner-log-");
        await StoreSeeder.SeedAsync(models, "m", GeneratedModels.Random);
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_DEBUG"] = "1" }, models);
        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);

        await client.GenerateAsync(new GenerateRequest { Model = "m", Prompt = "hi", Options = new ModelOptions { NumPredict = 1 } });

        var runner = Assert.Single(server.RunnerProcessIds());
        // llama.cpp's model loader prints this while the runner loads; the server never loads a model itself.
        var line = new Regex($@"info: Corral\.Runner\.Client\.RunnerProcess\[\d+\] runner {runner}: \S+\[\d+\] llama_model_loader: ");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!line.IsMatch(server.Log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Matches(line, server.Log);
    }
}
