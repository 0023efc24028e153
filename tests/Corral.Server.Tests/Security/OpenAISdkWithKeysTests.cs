using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Corral.Server.Tests.Security;

/// <summary>The official OpenAI .NET SDK against a server with keys on: works with a key, fails cleanly without.</summary>
public sealed class OpenAISdkWithKeysTests(ApiKeyServerFixture fx) : IClassFixture<ApiKeyServerFixture>
{
    private OpenAIClientOptions Options => new() { Endpoint = new Uri(fx.Server.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Chat_works_with_an_infer_key()
    {
        var chat = new ChatClient("successor-chat", new ApiKeyCredential(ApiKeyServerFixture.InferKey), Options);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 3 });
        Assert.Equal("abc", completion.Content[0].Text);
    }

    [Fact]
    public async Task Models_list_works_with_a_read_key()
    {
        var models = new OpenAIModelClient(new ApiKeyCredential(ApiKeyServerFixture.ReadKey), Options);
        OpenAIModelCollection list = await models.GetModelsAsync();
        Assert.Contains(list, m => m.Id == "successor:latest");
    }

    [Fact]
    public async Task A_wrong_key_fails_with_401_and_a_read_key_cannot_chat()
    {
        var wrong = new ChatClient("successor-chat", new ApiKeyCredential("sk-wrong"), Options);
        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => wrong.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, unauthorized.Status);
        Assert.Contains("invalid_api_key", unauthorized.Message, StringComparison.Ordinal);

        var reader = new ChatClient("successor-chat", new ApiKeyCredential(ApiKeyServerFixture.ReadKey), Options);
        var forbidden = await Assert.ThrowsAsync<ClientResultException>(() => reader.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(403, forbidden.Status);
    }
}
