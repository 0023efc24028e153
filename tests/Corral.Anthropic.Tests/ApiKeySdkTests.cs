using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace Corral.Anthropic.Tests;

/// <summary>The Anthropic SDK against a server with keys on: its x-api-key works, a wrong or under-scoped key fails cleanly.</summary>
public sealed class ApiKeySdkTests(ApiKeyServerFixture fx) : IClassFixture<ApiKeyServerFixture>
{
    private static MessageCreateParams Hi => new() { Model = "successor-chat", MaxTokens = 3, Messages = [new UserMessageParam("hi")] };

    [Fact]
    public async Task Create_works_with_an_infer_key()
    {
        using var client = AnthropicServerFixture.CreateClient(fx.Server, ApiKeyServerFixture.InferKey);
        Message message = await client.Messages.Create(Hi);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("abc", text!.Text);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error()
    {
        using var client = AnthropicServerFixture.CreateClient(fx.Server, "sk-ant-wrong");
        var error = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(Hi));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_read_key_cannot_create_messages()
    {
        using var client = AnthropicServerFixture.CreateClient(fx.Server, ApiKeyServerFixture.ReadKey);
        await Assert.ThrowsAsync<AnthropicForbiddenException>(() => client.Messages.Create(Hi));
    }
}
