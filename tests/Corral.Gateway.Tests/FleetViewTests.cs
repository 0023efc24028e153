using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Corral.Models.Names;
using Corral.Testing;
using Corral.Testing.Registry;

namespace Corral.Gateway.Tests;

/// <summary>One view of the fleet (tags, models, ps, version) and model management sent to every backend.</summary>
[Collection(FleetCollectionDefinition.Name)]
public sealed class FleetViewTests(FleetFixture fx)
{
    [Fact]
    public async Task Tags_and_v1_models_are_the_union_of_the_backends_models_each_listed_once()
    {
        var tags = await fx.Http.GetFromJsonAsync<JsonElement>("/api/tags");
        var names = tags.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
        var expected = FleetFixture.SharedModels.Concat(FleetFixture.Names.Select(n => "only-" + n)).Select(n => n + ":latest");
        foreach (var name in expected)
        {
            Assert.Single(names, name);
        }

        var models = await fx.Http.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal("list", models.GetProperty("object").GetString());
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        foreach (var name in expected)
        {
            Assert.Single(ids, name);
        }

        // A model only one backend has is found through the gateway (by routing to that backend).
        using var one = await fx.Http.GetAsync("/v1/models/only-gamma");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("gamma", one.Headers.GetValues("X-Corral-Backend").Single());
        using var show = await fx.Http.PostAsync("/api/show", FleetFixture.Json("""{"model":"only-beta"}"""));
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
        Assert.Equal("beta", show.Headers.GetValues("X-Corral-Backend").Single());
        using var missing = await fx.Http.PostAsync("/api/show", FleetFixture.Json("""{"model":"nowhere"}"""));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("not found", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ps_lists_every_loaded_model_with_its_backend_and_version_is_answered_by_the_gateway()
    {
        await fx.LoadDirectlyAsync("gamma", "plain");
        await fx.LoadDirectlyAsync("alpha", "plain");

        var ps = await fx.Http.GetFromJsonAsync<JsonElement>("/api/ps");
        var plain = ps.GetProperty("models").EnumerateArray().Where(m => m.GetProperty("name").GetString() == "plain:latest").Select(m => m.GetProperty("backend").GetString()).Order().ToList();
        Assert.Equal(["alpha", "gamma"], plain);
        foreach (var name in FleetFixture.Names)
        {
            var loaded = await fx.LoadedOnAsync(name);
            var listed = ps.GetProperty("models").EnumerateArray().Where(m => m.GetProperty("backend").GetString() == name).Select(m => m.GetProperty("name").GetString()!).Order();
            Assert.Equal(loaded.Order(), listed);
        }

        var version = await fx.Http.GetFromJsonAsync<JsonElement>("/api/version");
        Assert.Equal(Corral.Api.CorralVersion.OllamaApi, version.GetProperty("version").GetString());
        Assert.Equal("Ollama is running", await fx.Http.GetStringAsync("/"));
    }

    [Fact]
    public async Task Copy_and_delete_go_to_every_backend_or_to_the_named_one()
    {
        using (var copy = await fx.Http.PostAsync("/api/copy", FleetFixture.Json("""{"source":"plain","destination":"copied"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        }

        foreach (var name in FleetFixture.Names)
        {
            Assert.Contains("copied:latest", await fx.TagsOnAsync(name));
        }

        // Only where it exists: a model one backend has is copied there, the others' 404s are no failure.
        using (var copyOne = await fx.Http.PostAsync("/api/copy", FleetFixture.Json("""{"source":"only-alpha","destination":"only-alpha-copy"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, copyOne.StatusCode);
        }

        Assert.Contains("only-alpha-copy:latest", await fx.TagsOnAsync("alpha"));
        Assert.DoesNotContain("only-alpha-copy:latest", await fx.TagsOnAsync("beta"));

        using (var named = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = FleetFixture.Json("""{"model":"copied"}""") })
        {
            named.Headers.Add("X-Corral-Backend", "beta");
            using var deleted = await fx.Http.SendAsync(named);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.DoesNotContain("copied:latest", await fx.TagsOnAsync("beta"));
        Assert.Contains("copied:latest", await fx.TagsOnAsync("alpha"));

        using (var all = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = FleetFixture.Json("""{"model":"copied"}""") })
        {
            using var deleted = await fx.Http.SendAsync(all);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        foreach (var name in FleetFixture.Names)
        {
            Assert.DoesNotContain("copied:latest", await fx.TagsOnAsync(name));
        }

        using var again = new HttpRequestMessage(HttpMethod.Delete, "/api/delete") { Content = FleetFixture.Json("""{"model":"copied"}""") };
        using var gone = await fx.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("not found", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Create_streams_one_merged_progress_and_the_model_lands_on_every_backend()
    {
        using var response = await fx.Http.PostAsync("/api/create", FleetFixture.Json("""{"model":"created","from":"plain","system":"made through the gateway"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal("success", lines[^1].GetProperty("status").GetString());
        Assert.Single(lines, l => l.TryGetProperty("status", out var s) && s.GetString() == "success");
        var statuses = lines.Select(l => l.GetProperty("status").GetString()).ToList();
        Assert.Equal(statuses.Count, statuses.Distinct().Count());
        foreach (var name in FleetFixture.Names)
        {
            Assert.Contains("created:latest", await fx.TagsOnAsync(name));
        }
    }

    [Fact]
    public async Task Pull_runs_on_every_backend_with_the_layers_progress_summed()
    {
        await using var registry = await FakeRegistry.StartAsync();
        var model = TestModelArtifacts.Create(size: 512 << 10, seed: 21);
        model.AddTo(registry, "fleet/pulled:latest");
        var name = $"{registry.Host}/fleet/pulled:latest";

        using var response = await fx.Http.PostAsync("/api/pull", FleetFixture.Json($$"""{"model":"{{name}}","insecure":true}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal("success", lines[^1].GetProperty("status").GetString());
        var layer = $"pulling {model.ModelLayer.Digest.Hex[..12]}";
        var progress = lines.Where(l => l.GetProperty("status").GetString() == layer && l.TryGetProperty("total", out _)).ToList();
        Assert.NotEmpty(progress);
        // Three backends pulling the same layer: one line whose total is three layers, completed when all are.
        Assert.Equal(3 * model.ModelLayer.Size, progress[^1].GetProperty("total").GetInt64());
        Assert.Equal(3 * model.ModelLayer.Size, progress.Max(l => l.TryGetProperty("completed", out var c) ? c.GetInt64() : 0));
        foreach (var backend in FleetFixture.Names)
        {
            Assert.Contains(ModelName.ParseValid(name).DisplayShortest(), await fx.TagsOnAsync(backend));
        }

        using var failing = await fx.Http.PostAsync("/api/pull", FleetFixture.Json($$"""{"model":"{{registry.Host}}/fleet/absent:latest","insecure":true,"stream":false}"""));
        Assert.False(failing.IsSuccessStatusCode);
        Assert.True((await failing.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Api_keys_are_checked_at_the_gateway_with_the_key_file_format_of_serve()
    {
        var folder = TempFolders.Create("corral-gw-keys-");
        var keys = Path.Combine(folder, "keys");
        await File.WriteAllLinesAsync(keys, ["reader-key read", "infer-key infer"]);
        await using var gateway = await GatewayProcess.StartAsync(fx.Backends, new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keys });
        using var http = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        using var anonymous = await http.GetAsync("/api/tags");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("missing API key", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var tags = new HttpRequestMessage(HttpMethod.Get, "/api/tags");
        tags.Headers.Authorization = new("Bearer", "reader-key");
        using var listed = await http.SendAsync(tags);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        using var chatAsReader = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = FleetFixture.Json("""{"model":"plain","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""") };
        chatAsReader.Headers.Authorization = new("Bearer", "reader-key");
        using var forbidden = await http.SendAsync(chatAsReader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("permission_error", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("type").GetString());

        using var generate = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = FleetFixture.Json("""{"model":"plain","prompt":"hi","stream":false,"options":{"num_predict":1}}""") };
        generate.Headers.Add("x-api-key", "infer-key");
        using var answered = await http.SendAsync(generate);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        using var drain = new HttpRequestMessage(HttpMethod.Post, "/gateway/backends/alpha/drain");
        drain.Headers.Authorization = new("Bearer", "infer-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(drain)).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_per_backend_and_show_each_backends_state()
    {
        using (var response = await fx.Http.PostAsync("/api/generate", FleetFixture.Json("""{"model":"only-alpha","prompt":"counted","stream":false,"options":{"num_predict":1}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await fx.Http.GetStringAsync("/metrics");
        Assert.Matches(@"corral_gateway_requests_total\{backend=""alpha"",status=""200""\} [1-9]", metrics);
        foreach (var name in FleetFixture.Names)
        {
            Assert.Contains($"corral_gateway_backend_up{{backend=\"{name}\"}} 1", metrics);
        }

        Assert.Contains("# TYPE corral_gateway_routing_decisions_total counter", metrics);
    }
}
