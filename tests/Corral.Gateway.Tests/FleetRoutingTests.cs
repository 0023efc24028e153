using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Gateway.Tests;

/// <summary>Where the gateway sends requests: to the loaded model, to the conversation's backend, away from full queues and drained backends.</summary>
[Collection(FleetCollectionDefinition.Name)]
public sealed class FleetRoutingTests(FleetFixture fx)
{
    [Fact]
    public async Task A_model_loaded_on_one_backend_gets_all_its_requests_there()
    {
        await fx.LoadDirectlyAsync("beta", "affine");
        var decisionsBefore = await GatewayCounterAsync("corral_gateway_routing_decisions_total{decision=\"loaded\"}");

        for (var i = 0; i < 6; i++)
        {
            using var response = await fx.Http.PostAsync("/api/generate", FleetFixture.Json($$$"""{"model":"affine","prompt":"request {{{i}}} for the loaded model","stream":false,"options":{"num_predict":2}}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("beta", Backend(response));
        }

        // Nobody else loaded it: the requests did not start a second copy anywhere.
        Assert.DoesNotContain(await fx.LoadedOnAsync("alpha"), m => m.StartsWith("affine", StringComparison.Ordinal));
        Assert.DoesNotContain(await fx.LoadedOnAsync("gamma"), m => m.StartsWith("affine", StringComparison.Ordinal));
        Assert.True(await GatewayCounterAsync("corral_gateway_routing_decisions_total{decision=\"loaded\"}") >= decisionsBefore + 6);
    }

    [Fact]
    public async Task The_second_turn_of_a_chat_goes_to_the_same_backend_and_hits_its_prefix_cache()
    {
        foreach (var name in FleetFixture.Names)
        {
            await fx.LoadDirectlyAsync(name, "chat");
        }

        await fx.WaitUntilIdleAsync(); // e.g. the never-ending stream of the queue-full test, still on gamma for a moment

        var servedBy = new HashSet<string>();
        for (var conversation = 0; conversation < 6; conversation++)
        {
            var system = $"You are assistant number {conversation}; answer in the style of conversation {conversation} with care.";
            var user = $"first question of conversation {conversation}";
            var (first, firstBackend) = await ChatAsync($$"""[{"role":"system","content":"{{system}}"},{"role":"user","content":"{{user}}"}]""");
            var answer = first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            var (second, secondBackend) = await ChatAsync($$"""[{"role":"system","content":"{{system}}"},{"role":"user","content":"{{user}}"},{"role":"assistant","content":{{JsonSerializer.Serialize(answer)}}},{"role":"user","content":"and a follow-up"}]""");

            Assert.True(firstBackend == secondBackend, $"conversation {conversation}: turn 1 on {firstBackend}, turn 2 on {secondBackend}; fleet: {await fx.Http.GetStringAsync("/gateway/backends")}\n{fx.Gateway.Log}");
            servedBy.Add(firstBackend);
            var firstPrompt = first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
            var cached = second.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
            Assert.True(cached >= firstPrompt - 1, $"conversation {conversation} on {secondBackend}: {cached} cached tokens, the first turn's prompt was {firstPrompt}");
        }

        // The conversations were spread over the fleet, not all kept on one backend.
        Assert.True(servedBy.Count >= 2, $"all conversations went to {string.Join(", ", servedBy)}");
    }

    [Fact]
    public async Task A_backend_whose_queue_is_full_answers_503_and_the_request_moves_to_another()
    {
        await fx.LoadDirectlyAsync("gamma", "spill");

        // A gateway that checks the fleet only at start sees gamma idle with "spill" loaded, so it will pick gamma.
        await using var stale = await GatewayProcess.StartAsync(fx.Backends, new Dictionary<string, string> { ["CORRAL_GATEWAY_REFRESH_MS"] = "600000" });
        using var staleHttp = stale.CreateClient();
        await stale.WaitForBackendsAsync(list => list.EnumerateArray().All(b => b.GetProperty("up").GetBoolean()), "every backend up", staleHttp);

        // gamma's only slot and only queue place, taken directly: a stream that never ends and a request waiting behind it.
        using var gamma = fx.Server("gamma").CreateClient();
        using var occupy = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate")
        {
            Content = FleetFixture.Json("""{"model":"spill","prompt":"hold the only slot 1","options":{"num_predict":1000000}}"""),
        };
        using var holding = await gamma.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, occupy.Token);
        Assert.Equal(HttpStatusCode.OK, holding.StatusCode);
        var waiting = gamma.PostAsync("/api/generate", FleetFixture.Json("""{"model":"spill","prompt":"wait for the slot","stream":false,"options":{"num_predict":1}}"""), occupy.Token);
        await WaitForMetricAsync(gamma, "corral_queue_depth 1");
        try
        {
            using var spill = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = FleetFixture.Json("""{"model":"spill","prompt":"spill over","stream":false,"options":{"num_predict":2}}""") };
            spill.Headers.Add("Origin", "http://localhost:3000");
            using var response = await staleHttp.SendAsync(spill);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("gamma", Backend(response));
            // The gateway's own CORS headers survive the discarded first attempt.
            Assert.Equal("http://localhost:3000", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var metrics = await staleHttp.GetStringAsync("/metrics");
            Assert.Contains("corral_gateway_retries_total{backend=\"gamma\",reason=\"queue_full\"} 1", metrics);
        }
        finally
        {
            occupy.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            holding.Dispose(); // closes the never-ending stream now: gamma's slot frees before the next test
        }
    }

    private static async Task WaitForMetricAsync(HttpClient server, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if ((await server.GetStringAsync("/metrics")).Split('\n').Contains(line))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"the server's /metrics never had '{line}'");
    }

    [Fact]
    public async Task A_drained_backend_gets_no_new_requests_until_it_is_resumed()
    {
        await fx.LoadDirectlyAsync("alpha", "drainable");
        Assert.Equal("alpha", await GenerateOnAsync("drainable"));

        var drained = await CliAsync("gateway", "drain", "alpha");
        Assert.Equal(0, drained.ExitCode);
        Assert.Matches(@"alpha\s+\S+\s+draining", drained.Output);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.NotEqual("alpha", await GenerateOnAsync("drainable"));
            }

            // Still in the fleet's views while draining.
            var ps = await fx.Http.GetFromJsonAsync<JsonElement>("/api/ps");
            Assert.Contains(ps.GetProperty("models").EnumerateArray(), m => m.GetProperty("backend").GetString() == "alpha");
        }
        finally
        {
            var resumed = await CliAsync("gateway", "resume", "alpha");
            Assert.Equal(0, resumed.ExitCode);
        }

        var status = await fx.Http.GetFromJsonAsync<JsonElement>("/gateway/backends");
        Assert.False(status.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "alpha").GetProperty("draining").GetBoolean());
        var unknown = await CliAsync("gateway", "drain", "nobody");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no backend named 'nobody'", unknown.Error);
    }

    private async Task<string> GenerateOnAsync(string model)
    {
        using var response = await fx.Http.PostAsync("/api/generate", FleetFixture.Json($$$"""{"model":"{{{model}}}","prompt":"which backend","stream":false,"options":{"num_predict":1}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Backend(response);
    }

    private async Task<(JsonElement Body, string Backend)> ChatAsync(string messages)
    {
        using var response = await fx.Http.PostAsync("/v1/chat/completions", FleetFixture.Json($$"""{"model":"chat","messages":{{messages}},"max_tokens":4}"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (JsonDocument.Parse(text).RootElement.Clone(), Backend(response));
    }

    private static string Backend(HttpResponseMessage response) => response.Headers.GetValues("X-Corral-Backend").Single();

    private async Task<double> GatewayCounterAsync(string series)
    {
        var text = await fx.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CORRAL_GATEWAY_HOST"] = fx.Gateway.HostAndPort;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
