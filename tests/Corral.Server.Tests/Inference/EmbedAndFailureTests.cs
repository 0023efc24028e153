using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Json;
using Corral.Api.Ollama;

namespace Corral.Server.Tests.Inference;

/// <summary>Embeddings end to end, and what a client sees when a runner dies.</summary>
public sealed class EmbedAndFailureTests(InferenceServerFixture fx) : IClassFixture<InferenceServerFixture>
{
    [Fact]
    public async Task Batch_embeddings_equal_single_embeddings_and_are_normalised()
    {
        string[] inputs = ["the cat sat", "hello world", "running dogs are fast", "a"];
        var batch = await fx.Client.EmbedAsync(new EmbedRequest { Model = "embedder", Input = new StringOrArray(inputs) });
        Assert.Equal(inputs.Length, batch.Embeddings.Count);
        Assert.True(batch.PromptEvalCount >= inputs.Length * 2);

        for (var i = 0; i < inputs.Length; i++)
        {
            var single = await fx.Client.EmbedAsync(new EmbedRequest { Model = "embedder", Input = new StringOrArray(inputs[i]) });
            var one = Assert.Single(single.Embeddings);
            Assert.Equal(one.Length, batch.Embeddings[i].Length);
            for (var d = 0; d < one.Length; d++)
            {
                Assert.True(Math.Abs(one[d] - batch.Embeddings[i][d]) < 1e-5, $"input {i} dim {d}: {one[d]} vs {batch.Embeddings[i][d]}");
            }

            Assert.Equal(1.0, Math.Sqrt(one.Sum(v => (double)v * v)), 4);
        }

        Assert.NotEqual(batch.Embeddings[0], batch.Embeddings[1]);
    }

    [Fact]
    public async Task Dimensions_shortens_and_renormalises()
    {
        var response = await fx.Client.EmbedAsync(new EmbedRequest { Model = "embedder", Input = new StringOrArray("hello"), Dimensions = 8 });
        var vector = Assert.Single(response.Embeddings);
        Assert.Equal(8, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public async Task Legacy_embeddings_endpoint_returns_one_vector()
    {
        var response = await fx.Client.EmbeddingsAsync(new EmbeddingRequest { Model = "embedder", Prompt = "hello world" });
        Assert.Equal(32, response.Embedding.Length);
    }

    [Fact]
    public async Task Killing_the_runner_mid_stream_gives_an_error_line_and_the_next_request_works()
    {
        using var response = await fx.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = new StringContent("""{"model":"successor","prompt":"0","options":{"num_predict":100000}}""", Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync());

        KillRunnersOf(fx.Server.ModelsPath);

        var readAll = reader.ReadToEndAsync();
        var finished = await Task.WhenAny(readAll, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(readAll, finished);
        var lastLine = (await readAll).TrimEnd().Split('\n')[^1];
        using (var doc = JsonDocument.Parse(lastLine))
        {
            Assert.Contains("runner", doc.RootElement.GetProperty("error").GetString());
        }

        GenerateResponse next;
        try
        {
            next = await fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "a", Options = new ModelOptions { NumPredict = 3 } });
        }
        catch (OllamaApiException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\nserver log:\n{fx.Server.Log}", ex);
        }

        Assert.Equal("bcd", next.Response);
    }

    [Fact]
    public async Task Client_disconnect_frees_the_slot_for_the_next_request()
    {
        using (var cts = new CancellationTokenSource())
        {
            var stream = fx.Client.GenerateStreamAsync(new GenerateRequest { Model = "successor", Prompt = "0", Options = new ModelOptions { NumPredict = 100000 } }, cts.Token);
            await foreach (var _ in stream)
            {
                await cts.CancelAsync();
                break;
            }
        }

        // Four slots; more than four follow-up requests must all complete.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "a", Options = new ModelOptions { NumPredict = 2 } })));
        Assert.All(results, r => Assert.Equal("bc", r.Response));
    }

    [Fact]
    public async Task A_request_right_after_its_runner_is_killed_gets_a_fresh_runner_every_time()
    {
        for (var round = 0; round < 3; round++)
        {
            await fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "a", Options = new ModelOptions { NumPredict = 1 } });
            await fx.Client.EmbedAsync(new EmbedRequest { Model = "embedder", Input = new StringOrArray("warm") });
            KillRunnersOf(fx.Server.ModelsPath);

            // At once, before the server has noticed: the requests must not see the dead runners.
            var generate = fx.Client.GenerateAsync(new GenerateRequest { Model = "successor", Prompt = "a", Options = new ModelOptions { NumPredict = 3 } });
            var embed = fx.Client.EmbedAsync(new EmbedRequest { Model = "embedder", Input = new StringOrArray("after") });
            try
            {
                Assert.Equal("bcd", (await generate).Response);
                Assert.Single((await embed).Embeddings);
            }
            catch (OllamaApiException ex)
            {
                throw new InvalidOperationException($"round {round}: {ex.Message}\nserver log:\n{fx.Server.Log}", ex);
            }
        }
    }

    private static void KillRunnersOf(string modelsPath)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", $"runner --model {modelsPath}"]) { RedirectStandardOutput = true })!;
        var pids = pgrep.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        pgrep.WaitForExit();
        Assert.NotEmpty(pids);
        foreach (var pid in pids)
        {
            Process.GetProcessById(int.Parse(pid)).Kill();
        }
    }
}
