using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Testing;
using Corral.TestModels;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in this SDK version

namespace Corral.OpenAI.Tests;

/// <summary>
/// Stored responses through the official OpenAI .NET SDK's ResponsesClient (and raw HTTP where the SDK has no typed
/// call): continuing by id across a restart, a tool call answered by previous_response_id, background responses
/// polled and cancelled, concurrent writers, deletion and OpenAI's list and error shapes.
/// </summary>
public sealed class StoredResponsesSdkTests(StoredResponsesFixture fx) : IClassFixture<StoredResponsesFixture>
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    [Fact]
    public async Task A_stored_response_is_continued_by_id_after_the_server_restarts()
    {
        var first = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0 })).Value;
        Assert.Equal(Alphabet, first.GetOutputText());

        await fx.RestartAsync();

        var read = (await fx.Client().GetResponseAsync(first.Id)).Value;
        Assert.Equal(first.Id, read.Id);
        Assert.Equal(ResponseStatus.Completed, read.Status);
        Assert.Equal(Alphabet, read.GetOutputText());

        var next = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("again")]) { Temperature = 0, PreviousResponseId = first.Id })).Value;
        Assert.Equal(first.Id, next.PreviousResponseId);

        // The model was shown the stored turn: the prompt has exactly the tokens of the whole conversation sent in full.
        var whole = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat",
            [ResponseItem.CreateUserMessageItem("hi"), ResponseItem.CreateAssistantMessageItem(Alphabet), ResponseItem.CreateUserMessageItem("again")]) { Temperature = 0, StoredOutputEnabled = false })).Value;
        Assert.Equal(whole.Usage.InputTokenCount, next.Usage.InputTokenCount);
        Assert.True(next.Usage.InputTokenCount > first.Usage.InputTokenCount);

        // Not stored when asked not to be.
        using var http = fx.Server.CreateClient();
        using var missing = await http.GetAsync($"/v1/responses/{whole.Id}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_tool_call_is_answered_in_the_next_turn_by_previous_response_id()
    {
        var tool = ResponseTool.CreateFunctionTool(
            ToolCallerModel.ToolName,
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
            strictModeEnabled: true);
        var question = ResponseItem.CreateUserMessageItem("weather in Paris?");
        var first = new CreateResponseOptions("tool-caller", [question]) { Temperature = 0 };
        first.Tools.Add(tool);
        var called = (await fx.Client().CreateResponseAsync(first)).Value;
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(called.OutputItems));

        var next = new CreateResponseOptions("tool-caller", [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny")]) { Temperature = 0, PreviousResponseId = called.Id };
        next.Tools.Add(tool);
        var answer = (await fx.Client().CreateResponseAsync(next)).Value;
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, answer.GetOutputText());

        // Same prompt as the stateless round trip that sends the question and the call back itself.
        var stateless = new CreateResponseOptions("tool-caller", [question, call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny")]) { Temperature = 0, StoredOutputEnabled = false };
        stateless.Tools.Add(tool);
        Assert.Equal((await fx.Client().CreateResponseAsync(stateless)).Value.Usage.InputTokenCount, answer.Usage.InputTokenCount);

        // input_items lists this turn's input only: the tool output, with an id.
        using var http = fx.Server.CreateClient();
        using var items = JsonDocument.Parse(await http.GetStringAsync($"/v1/responses/{answer.Id}/input_items"));
        var item = Assert.Single(items.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("function_call_output", item.GetProperty("type").GetString());
        Assert.Equal(call.CallId, item.GetProperty("call_id").GetString());
        Assert.StartsWith("fco_", item.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_background_response_is_polled_to_completion()
    {
        var created = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, BackgroundModeEnabled = true })).Value;
        Assert.Equal(ResponseStatus.Queued, created.Status);
        Assert.True(created.BackgroundModeEnabled);

        var done = await PollAsync(created.Id);
        Assert.Equal(ResponseStatus.Completed, done.Status);
        Assert.Equal(Alphabet, done.GetOutputText());
        Assert.Equal(26, done.Usage.OutputTokenCount);

        // Cancelling a finished response changes nothing.
        var cancelled = (await fx.Client().CancelResponseAsync(created.Id)).Value;
        Assert.Equal(ResponseStatus.Completed, cancelled.Status);
    }

    [Fact]
    public async Task A_background_response_is_cancelled_while_it_runs()
    {
        // The random model never ends a turn by itself within this many tokens.
        var created = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("random", [ResponseItem.CreateUserMessageItem("go")]) { BackgroundModeEnabled = true, MaxOutputTokenCount = 1_000_000 })).Value;
        var cancelled = (await fx.Client().CancelResponseAsync(created.Id)).Value;
        Assert.Equal(ResponseStatus.Cancelled, cancelled.Status);
        Assert.Equal(ResponseStatus.Cancelled, (await fx.Client().GetResponseAsync(created.Id)).Value.Status);
        Assert.Equal(ResponseStatus.Cancelled, (await fx.Client().CancelResponseAsync(created.Id)).Value.Status);

        // Only background responses can be cancelled.
        var foreground = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 2 })).Value;
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => fx.Client().CancelResponseAsync(foreground.Id));
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task A_background_response_cut_off_by_a_server_crash_reads_back_incomplete_after_restart()
    {
        await fx.RestartAsync(asProcess: true); // a server that can crash without taking the test host along
        var created = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("random", [ResponseItem.CreateUserMessageItem("go")]) { BackgroundModeEnabled = true, MaxOutputTokenCount = 1_000_000 })).Value;
        while ((await fx.Client().GetResponseAsync(created.Id)).Value.Status == ResponseStatus.Queued)
        {
            await Task.Delay(20);
        }

        await ((ServerProcess)fx.Server).KillServerOnlyAsync(); // SIGKILL: nothing is written on the way out
        await fx.RestartAsync();

        var read = (await fx.Client().GetResponseAsync(created.Id)).Value;
        Assert.Equal(ResponseStatus.Incomplete, read.Status);
        Assert.Equal("interrupted", read.IncompleteStatusDetails.Reason.ToString());
    }

    [Fact]
    public async Task Concurrent_writers_store_every_response_and_every_conversation_turn_whole()
    {
        using var http = fx.Server.CreateClient();
        using var conversation = JsonDocument.Parse(await (await http.PostAsync("/v1/conversations", Json("{}"))).Content.ReadAsStringAsync());
        var conversationId = conversation.RootElement.GetProperty("id").GetString()!;

        const int Turns = 6;
        var tasks = new List<Task<ResponseResult>>();
        for (var i = 0; i < Turns; i++)
        {
            var inConversation = new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem($"turn {i}")])
            {
                Temperature = 0,
                MaxOutputTokenCount = 3,
                ConversationOptions = new ResponseConversationOptions(conversationId),
            };
            var alone = new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem($"alone {i}")]) { Temperature = 0, MaxOutputTokenCount = 3 };
            tasks.Add(Task.Run(async () => (await fx.Client().CreateResponseAsync(inConversation)).Value));
            tasks.Add(Task.Run(async () => (await fx.Client().CreateResponseAsync(alone)).Value));
        }

        var responses = await Task.WhenAll(tasks);
        foreach (var response in responses)
        {
            Assert.Equal(response.GetOutputText(), (await fx.Client().GetResponseAsync(response.Id)).Value.GetOutputText());
        }

        // Each turn added its user message and its answer together, never interleaved with another turn's.
        using var items = JsonDocument.Parse(await http.GetStringAsync($"/v1/conversations/{conversationId}/items?order=asc&limit=100"));
        var data = items.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2 * Turns, data.Count);
        var seen = new HashSet<string>();
        for (var i = 0; i < data.Count; i += 2)
        {
            Assert.Equal("user", data[i].GetProperty("role").GetString());
            Assert.Equal("assistant", data[i + 1].GetProperty("role").GetString());
            Assert.True(seen.Add(data[i].GetProperty("content")[0].GetProperty("text").GetString()!));
        }

        Assert.Equal(Enumerable.Range(0, Turns).Select(i => $"turn {i}").ToHashSet(), seen);
    }

    [Fact]
    public async Task Deleted_and_unknown_ids_are_404s_in_OpenAI_shape()
    {
        var response = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 2 })).Value;
        var deleted = (await fx.Client().DeleteResponseAsync(response.Id)).Value;
        Assert.True(deleted.Deleted);
        Assert.Equal(response.Id, deleted.ResponseId);

        var gone = await Assert.ThrowsAsync<ClientResultException>(() => fx.Client().GetResponseAsync(response.Id));
        Assert.Equal(404, gone.Status);

        using var http = fx.Server.CreateClient();
        foreach (var (method, path) in new[] { ("GET", $"/v1/responses/{response.Id}"), ("DELETE", $"/v1/responses/{response.Id}"), ("GET", "/v1/responses/resp_nope/input_items"), ("POST", "/v1/responses/resp_nope/cancel"), ("GET", "/v1/conversations/conv_nope"), ("GET", "/v1/conversations/conv_nope/items") })
        {
            using var answer = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            var error = body.RootElement.GetProperty("error");
            Assert.Contains("not found", error.GetProperty("message").GetString());
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
    }

    [Fact]
    public async Task Input_items_are_paged_as_OpenAI_lists_them()
    {
        var input = Enumerable.Range(0, 5).Select(i => ResponseItem.CreateUserMessageItem($"m{i}")).ToList<ResponseItem>();
        var response = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", input) { Temperature = 0, MaxOutputTokenCount = 2 })).Value;
        using var http = fx.Server.CreateClient();

        // Default order is newest first; pages follow the cursor until has_more is false.
        var texts = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/v1/responses/{response.Id}/input_items?limit=2" + (after is null ? string.Empty : $"&after={after}")));
            var root = page.RootElement;
            Assert.Equal("list", root.GetProperty("object").GetString());
            var data = root.GetProperty("data").EnumerateArray().ToList();
            Assert.Equal(data[0].GetProperty("id").GetString(), root.GetProperty("first_id").GetString());
            Assert.Equal(data[^1].GetProperty("id").GetString(), root.GetProperty("last_id").GetString());
            texts.AddRange(data.Select(d => d.GetProperty("content")[0].GetProperty("text").GetString()!));
            pages++;
            if (!root.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            after = root.GetProperty("last_id").GetString();
        }

        Assert.Equal(3, pages);
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], texts);

        using var ascending = JsonDocument.Parse(await http.GetStringAsync($"/v1/responses/{response.Id}/input_items?order=asc&limit=100"));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], ascending.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("content")[0].GetProperty("text").GetString()!));

        // The SDK's own pager walks the same list.
        var sdkTexts = new List<string>();
        await foreach (var item in fx.Client().GetResponseInputItemsAsync(response.Id))
        {
            sdkTexts.Add(Assert.IsAssignableFrom<MessageResponseItem>(item).Content[0].Text);
        }

        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], sdkTexts);

        using var badLimit = await http.GetAsync($"/v1/responses/{response.Id}/input_items?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    private async Task<ResponseResult> PollAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var response = (await fx.Client().GetResponseAsync(id)).Value;
            if (response.Status != ResponseStatus.Queued && response.Status != ResponseStatus.InProgress)
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"response {id} still {response.Status}");
            await Task.Delay(50);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
