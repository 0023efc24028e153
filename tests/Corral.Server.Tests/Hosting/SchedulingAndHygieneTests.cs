using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Testing;

namespace Corral.Server.Tests.Hosting;

/// <summary>Scheduler limits and HTTP hygiene, each against a server started with the setting under test.</summary>
public sealed class SchedulingAndHygieneTests
{
    private static async Task<InProcessServer> StartAsync(Dictionary<string, string> env) =>
        await InProcessServer.StartAsync(env, await SeedAsync());

    private static async Task<string> SeedAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-sched-").FullName;
        await StoreSeeder.SeedAsync(models, "one", GeneratedModels.Successor, template: "{{ .Prompt }}", paramsJson: "{\"temperature\":0}");
        await StoreSeeder.SeedAsync(models, "two", GeneratedModels.Random);
        return models;
    }

    [Fact]
    public async Task Max_loaded_models_evicts_the_least_recently_used_idle_model()
    {
        await using var server = await StartAsync(new() { ["OLLAMA_MAX_LOADED_MODELS"] = "1" });
        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
        await client.GenerateAsync(new GenerateRequest { Model = "one" });
        Assert.Equal(["one:latest"], (await client.PsAsync()).Models.Select(m => m.Name));
        await client.GenerateAsync(new GenerateRequest { Model = "two" });
        Assert.Equal(["two:latest"], (await client.PsAsync()).Models.Select(m => m.Name));
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_load_and_two_models_load_side_by_side()
    {
        await using var server = await StartAsync(new() { ["OLLAMA_MAX_LOADED_MODELS"] = "2", ["OLLAMA_NUM_PARALLEL"] = "2" });
        using var http = server.CreateClient();
        var requests = Enumerable.Range(0, 6)
            .Select(i => http.PostAsync("/api/generate", Json($$$"""{"model":"{{{(i % 3 == 2 ? "two" : "one")}}}","prompt":"x","stream":false,"options":{"num_predict":3}}""")))
            .ToArray();
        var responses = await Task.WhenAll(requests);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // Exactly one load per model, however many requests asked for it at once.
        Assert.Equal(1, Count(server.Log, "loading model one:latest"));
        Assert.Equal(1, Count(server.Log, "loading model two:latest"));
        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
        Assert.Equal(["one:latest", "two:latest"], (await client.PsAsync()).Models.Select(m => m.Name).Order());

        static int Count(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_load_finishes_even_when_the_request_that_started_it_goes_away()
    {
        await using var server = await StartAsync([]);
        using var http = server.CreateClient();
        using (var gone = new CancellationTokenSource())
        {
            // Digits never end on the successor model: the request is still running when it is dropped.
            var request = http.PostAsync("/api/generate", Json("""{"model":"one","prompt":"0","stream":false,"options":{"num_predict":100000}}"""), gone.Token);
            for (var i = 0; i < 200 && !server.Log.Contains("loading model one:latest", StringComparison.Ordinal); i++)
            {
                await Task.Delay(25);
            }

            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
        IReadOnlyList<string> loaded = [];
        for (var i = 0; i < 100 && loaded.Count == 0; i++)
        {
            await Task.Delay(100);
            loaded = [.. (await client.PsAsync()).Models.Select(m => m.Name)];
        }

        Assert.True(loaded.SequenceEqual(["one:latest"]), server.Log);

        // Its user count was given back: keep_alive 0 now unloads it at once.
        await http.PostAsync("/api/generate", Json("""{"model":"one","keep_alive":0}"""));
        for (var i = 0; i < 50 && (await client.PsAsync()).Models.Count > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty((await client.PsAsync()).Models);
    }

    [Fact]
    public async Task Runners_exit_within_seconds_when_their_server_is_killed()
    {
        // A process: the runners' lifeline is the pipe to their parent, which must die.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["OLLAMA_MAX_LOADED_MODELS"] = "2" }, await SeedAsync());
        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
        await client.GenerateAsync(new GenerateRequest { Model = "one" });
        await client.GenerateAsync(new GenerateRequest { Model = "two" });
        var runners = server.RunnerProcessIds();
        Assert.Equal(2, runners.Count);
        var sockets = runners.Select(pid => SocketFolderOf(pid)).ToList();
        Assert.All(sockets, s => Assert.True(Directory.Exists(s), s));

        await server.KillServerOnlyAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (runners.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.DoesNotContain(runners, IsAlive);
        Assert.All(sockets, s => Assert.False(Directory.Exists(s), $"{s} is left behind"));

        static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;

        static string SocketFolderOf(int pid)
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            Assert.Contains("--socket", args); // without it, IndexOf's -1 would read args[0]
            return Path.GetDirectoryName(args[Array.IndexOf(args, "--socket") + 1])!;
        }
    }

    [Fact]
    public async Task Changing_num_ctx_reloads_the_model_with_the_new_context()
    {
        await using var server = await StartAsync([]);
        using var client = new OllamaClient(server.CreateClient(), ownsHttpClient: true);
        await client.GenerateAsync(new GenerateRequest { Model = "one", Prompt = "a", Options = new ModelOptions { NumCtx = 256, NumPredict = 1 } });
        Assert.Equal(256, Assert.Single((await client.PsAsync()).Models).ContextLength);
        var same = await client.GenerateAsync(new GenerateRequest { Model = "one", Prompt = "a", Options = new ModelOptions { NumCtx = 256, NumPredict = 1 } });
        var reloaded = await client.GenerateAsync(new GenerateRequest { Model = "one", Prompt = "a", Options = new ModelOptions { NumCtx = 512, NumPredict = 1 } });
        // load_duration is always there (arrival until the runner is ready): tiny for the loaded runner, a process
        // start and a model load for the reload.
        Assert.True(same.LoadDuration > 0);
        Assert.True(reloaded.LoadDuration > 4 * same.LoadDuration, $"same {same.LoadDuration} ns, reloaded {reloaded.LoadDuration} ns");
        Assert.Equal(512, Assert.Single((await client.PsAsync()).Models).ContextLength);
    }

    [Fact]
    public async Task Full_queue_answers_503_even_for_a_loaded_model()
    {
        await using var server = await StartAsync(new() { ["OLLAMA_NUM_PARALLEL"] = "1", ["OLLAMA_MAX_QUEUE"] = "1" });
        using var http = server.CreateClient();
        await http.PostAsync("/api/generate", Json("""{"model":"one"}"""));
        var requests = Enumerable.Range(0, 6)
            .Select(_ => http.PostAsync("/api/generate", Json("""{"model":"one","prompt":"0","stream":false,"options":{"num_predict":300}}""")))
            .ToArray();
        var responses = await Task.WhenAll(requests);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        using var doc = JsonDocument.Parse(await busy[0].Content.ReadAsStringAsync());
        Assert.Contains("server busy", doc.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Cors_preflight_and_host_checks_follow_ollama()
    {
        await using var server = await StartAsync(new() { ["OLLAMA_ORIGINS"] = "https://app.example.com" });
        using var http = server.CreateClient();

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/generate");
        preflight.Headers.Add("Origin", "http://localhost:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var ok = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal("http://localhost:3000", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var configured = new HttpRequestMessage(HttpMethod.Get, "/api/version");
        configured.Headers.Add("Origin", "https://app.example.com");
        using var allowed = await http.SendAsync(configured);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/version");
        foreign.Headers.Add("Origin", "https://evil.example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(foreign)).StatusCode);

        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "/api/tags");
        rebinding.Headers.Host = "attacker.example.com";
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebinding)).StatusCode);

        using var local = new HttpRequestMessage(HttpMethod.Get, "/api/tags");
        local.Headers.Host = "localhost";
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(local)).StatusCode);
    }

    [Fact]
    public async Task Oversized_json_body_is_refused()
    {
        await using var server = await StartAsync(new() { ["CORRAL_MAX_BODY_BYTES"] = "4096" });
        using var http = server.CreateClient();
        var big = $$"""{"model":"one","prompt":"{{new string('x', 10_000)}}"}""";
        using var response = await http.PostAsync("/api/generate", Json(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Version_and_root_answer_like_ollama()
    {
        await using var server = await StartAsync([]);
        using var http = server.CreateClient();
        Assert.Equal("Ollama is running", await http.GetStringAsync("/"));
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var version = await http.GetAsync("/api/version");
        using var doc = JsonDocument.Parse(await version.Content.ReadAsStringAsync());
        // The Ollama release whose API is implemented (clients gate features on it); Corral's own build in a header.
        Assert.Equal("0.33.0", doc.RootElement.GetProperty("version").GetString());
        Assert.Single(doc.RootElement.EnumerateObject());
        Assert.Equal(Corral.Api.CorralVersion.Build, version.Headers.GetValues("X-Corral-Version").Single());
        Assert.Matches(@"^\d+\.\d+\.\d+(\+[0-9a-f]{7})?$", Corral.Api.CorralVersion.Build);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
