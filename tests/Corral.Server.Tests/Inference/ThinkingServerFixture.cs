using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// One real server for the thinking tests of every API surface: the thinker model (<see cref="Corral.TestModels.ThinkerModel"/>)
/// and a chat model without the thinking capability. Its own store, so other fixtures' model lists stay as they are.
/// </summary>
public sealed class ThinkingServerFixture : IAsyncLifetime
{
    public const string Thinker = "thinker";

    /// <summary>The successor model with a chat template that never reads .Think: no thinking capability.</summary>
    public const string NonThinker = "plain-chat";

    public IServerUnderTest Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-think-").FullName;
        await StoreSeeder.SeedThinkerAsync(models, Thinker);
        await StoreSeeder.SeedAsync(models, NonThinker, GeneratedModels.Successor, template: InferenceServerFixture.ChatTemplate, paramsJson: "{\"temperature\":0}");
        Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "2", ["OLLAMA_CONTEXT_LENGTH"] = "1024" }, models);
        Http = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>POSTs JSON; returns the status and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs JSON, asserts 200, parses the one JSON answer.</summary>
    public async Task<JsonElement> PostOkAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>POSTs JSON, asserts 200, parses the NDJSON lines.</summary>
    public async Task<List<JsonElement>> PostNdjsonAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    /// <summary>POSTs JSON, asserts 200, parses the SSE events (name may be null; "[DONE]" is left out).</summary>
    public async Task<List<(string? Name, JsonElement Data)>> PostSseAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        var events = new List<(string?, JsonElement)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }

            if (data is not null && data != "[DONE]")
            {
                events.Add((name, JsonDocument.Parse(data).RootElement));
            }
        }

        return events;
    }
}
