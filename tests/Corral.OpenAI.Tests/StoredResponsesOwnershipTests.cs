using System.ClientModel;
using Corral.Testing;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in this SDK version

namespace Corral.OpenAI.Tests;

/// <summary>With API keys on, a stored response or conversation belongs to the key that made it: to any other key it does not exist.</summary>
public sealed class StoredResponsesOwnershipTests
{
    private const string Alice = "corral-responses-alice-41f3";
    private const string Bob = "corral-responses-bob-93c7";

    [Fact]
    public async Task Another_key_gets_404_for_a_stored_response_and_conversation()
    {
        // A /tmp/corral-* store goes with its server.
        var models = Directory.CreateTempSubdirectory("corral-responses-keys-").FullName;
        await StoreSeeder.SeedAsync(models, "successor-chat", GeneratedModels.Successor, template: OpenAIServerFixture.ChatTemplate);
        var keysFile = Path.Combine(models, "keys");
        await File.WriteAllLinesAsync(keysFile, [$"{Alice} infer", $"{Bob} infer"]);
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keysFile, ["OLLAMA_NUM_PARALLEL"] = "1", ["OLLAMA_CONTEXT_LENGTH"] = "512" }, models);
        ResponsesClient Client(string key) => new(new ApiKeyCredential(key), new ResponsesClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });

        var mine = (await Client(Alice).CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 3 })).Value;
        Assert.Equal("abc", (await Client(Alice).GetResponseAsync(mine.Id)).Value.GetOutputText());

        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Client(Bob).GetResponseAsync(mine.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Client(Bob).DeleteResponseAsync(mine.Id))).Status);
        var continued = await Assert.ThrowsAsync<ClientResultException>(() => Client(Bob).CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("more")]) { PreviousResponseId = mine.Id }));
        Assert.Equal(400, continued.Status);
        Assert.Contains("not found", continued.Message);

        using var alice = server.CreateClient();
        alice.DefaultRequestHeaders.Authorization = new("Bearer", Alice);
        using var created = await alice.PostAsync("/v1/conversations", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var conversation = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var bob = server.CreateClient();
        bob.DefaultRequestHeaders.Authorization = new("Bearer", Bob);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await bob.GetAsync($"/v1/conversations/{conversation}/items")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await alice.GetAsync($"/v1/conversations/{conversation}/items")).StatusCode);

        // Still Alice's after Bob tried.
        Assert.True((await Client(Alice).DeleteResponseAsync(mine.Id)).Value.Deleted);
    }
}
