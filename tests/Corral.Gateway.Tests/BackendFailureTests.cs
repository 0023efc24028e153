using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Corral.Gateway.Tests;

/// <summary>Backends that die or stop answering: requests move on, and only a stream already running sees the failure.</summary>
public sealed class BackendFailureTests(FailureFixture fx) : IClassFixture<FailureFixture>
{
    /// <summary>
    /// A non-streamed answer long enough to be cut off (the successor model counts digits forever after a digit), short
    /// enough to finish on the other backend in a few seconds.
    /// </summary>
    private const int LongAnswerTokens = 6000;

    [Fact]
    public async Task A_backend_killed_under_load_loses_only_the_stream_already_running()
    {
        // "long" loaded nowhere (an earlier test may have loaded it on other backends, which would then also have a free
        // slot and could take the second request): the stream loads it on K, and only K can take the second at once.
        foreach (var server in fx.Servers.Where(s => !s.HasExited))
        {
            using var direct = server.CreateClient();
            using var unload = await direct.PostAsync("/api/generate", Json("""{"model":"long","keep_alive":0}"""));
            unload.EnsureSuccessStatusCode();
        }

        await fx.Gateway.WaitForBackendsAsync(list => list.EnumerateArray().All(b => !b.GetProperty("loaded").EnumerateArray().Any(m => m.GetString()!.Contains("/long:", StringComparison.Ordinal))), "long loaded nowhere", fx.Http);

        // A stream that never ends by itself, running on backend K.
        using var streamRequest = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = Json("""{"model":"long","prompt":"count on 1","options":{"num_predict":1000000}}""") };
        using var stream = await fx.Http.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var killed = stream.Headers.GetValues("X-Corral-Backend").Single();
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.NotNull(await reader.ReadLineAsync());

        // Two of the gateway's refreshes (1 s each) with the stream running: its view then counts the stream as its own.
        // A view read while the stream was starting could count it twice (once as another client's busy slot, once as
        // in flight), see K full, and send the next request elsewhere.
        await Task.Delay(TimeSpan.FromSeconds(2));

        // A request K has accepted but not answered yet (the model is loaded there with a free slot, so it goes there).
        var pending = fx.Http.PostAsync("/api/generate", Json($$$"""{"model":"long","prompt":"count on 2","stream":false,"options":{"num_predict":{{{LongAnswerTokens}}}}}"""));
        await WaitForBusySlotsAsync(fx.Server(killed).CreateClient(), 2);
        Assert.False(pending.IsCompleted, "the long answer finished before the backend could be killed");

        await fx.Server(killed).KillServerOnlyAsync();

        // The running stream breaks: its client is the only one who sees the failure.
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                Assert.DoesNotContain("\"done\":true", line);
            }

            throw new IOException("the stream ended without its final chunk");
        });

        // The pending request was sent again to another backend and answered whole.
        using var answered = await pending;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.NotEqual(killed, answered.Headers.GetValues("X-Corral-Backend").Single());
        var body = await answered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(LongAnswerTokens, body.GetProperty("eval_count").GetInt32());

        // K is out; new requests go elsewhere without an error.
        await fx.Gateway.WaitForBackendsAsync(list => list.EnumerateArray().Any(b => b.GetProperty("name").GetString() == killed && !b.GetProperty("up").GetBoolean()), $"{killed} down", fx.Http);
        for (var i = 0; i < 3; i++)
        {
            using var next = await fx.Http.PostAsync("/api/generate", Json("""{"model":"long","prompt":"after the crash","stream":false,"options":{"num_predict":3}}"""));
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            Assert.NotEqual(killed, next.Headers.GetValues("X-Corral-Backend").Single());
        }

        var metrics = await fx.Http.GetStringAsync("/metrics");
        Assert.Contains($"corral_gateway_retries_total{{backend=\"{killed}\",reason=\"unreachable\"}} 1", metrics);
        Assert.Contains($"corral_gateway_backend_up{{backend=\"{killed}\"}} 0", metrics);
    }

    [Fact]
    public async Task A_backend_killed_while_loading_the_model_leaves_the_request_to_another_that_loads_it()
    {
        var alive = fx.Servers.Where(s => !s.HasExited).ToList();
        var runnersBefore = alive.ToDictionary(s => s, s => s.RunnerProcessIds().ToHashSet());
        var pending = fx.Http.PostAsync("/api/generate", Json("""{"model":"cold","prompt":"cold start","stream":false,"options":{"num_predict":3}}"""));

        // The moment a server starts a runner for the request (its load has begun), that server dies.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Corral.Testing.ServerProcess? loading = null;
        while (loading is null && DateTime.UtcNow < deadline && !pending.IsCompleted)
        {
            loading = alive.FirstOrDefault(s => s.RunnerProcessIds().Any(pid => !runnersBefore[s].Contains(pid)));
            await Task.Delay(5);
        }

        Assert.True(loading is not null, "no server started loading the model before the request ended");
        await loading.KillServerOnlyAsync();
        var killed = FailureFixture.Names[fx.Servers.ToList().IndexOf(loading)];

        using var answered = await pending;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.NotEqual(killed, answered.Headers.GetValues("X-Corral-Backend").Single());
        Assert.Equal(Corral.TestModels.SuccessorModel.ExpectedContinuation("cold start", 3).Text, (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("response").GetString());
        Assert.Contains($"corral_gateway_retries_total{{backend=\"{killed}\",reason=\"unreachable\"}} 1", await fx.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_backend_that_stops_answering_is_marked_down_and_back_up_when_it_answers_again()
    {
        var server = fx.Servers.First(s => !s.HasExited);
        var name = FailureFixture.Names[fx.Servers.ToList().IndexOf(server)];
        Signal("STOP", server.ProcessId);
        try
        {
            await fx.Gateway.WaitForBackendsAsync(list => list.EnumerateArray().Any(b => b.GetProperty("name").GetString() == name && !b.GetProperty("up").GetBoolean()), $"{name} down", fx.Http);
        }
        finally
        {
            Signal("CONT", server.ProcessId);
        }

        await fx.Gateway.WaitForBackendsAsync(list => list.EnumerateArray().Any(b => b.GetProperty("name").GetString() == name && b.GetProperty("up").GetBoolean()), $"{name} up again", fx.Http);
        using var response = await fx.Http.PostAsync("/api/generate", Json("""{"model":"long","prompt":"back again","stream":false,"options":{"num_predict":2}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Json(string json) => FleetFixture.Json(json);

    private static async Task WaitForBusySlotsAsync(HttpClient server, int slots)
    {
        using (server)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                var metrics = await server.GetStringAsync("/metrics");
                if (metrics.Split('\n').Any(l => l.StartsWith("corral_runner_active_slots{", StringComparison.Ordinal) && l.EndsWith($" {slots}", StringComparison.Ordinal)))
                {
                    return;
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"the backend never had {slots} busy slots");
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
