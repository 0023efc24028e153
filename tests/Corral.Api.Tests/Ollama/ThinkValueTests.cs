using System.Text.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Ollama;

public sealed class ThinkValueTests
{
    private static ThinkValue? Read(string thinkJson) =>
        JsonSerializer.Deserialize($$"""{"model":"m","think":{{thinkJson}}}""", OllamaJsonContext.Default.ChatRequest)!.Think;

    [Fact]
    public void Reads_booleans()
    {
        Assert.True(Read("true")!.Value.IsEnabled);
        Assert.True(Read("true")!.Value.IsBool);
        Assert.Equal("medium", Read("true")!.Value.EffectiveLevel);
        Assert.False(Read("false")!.Value.IsEnabled);
        Assert.Null(Read("null"));
    }

    [Theory]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("high")]
    [InlineData("max")]
    public void Reads_levels(string level)
    {
        var value = Read($"\"{level}\"")!.Value;
        Assert.True(value.IsEnabled);
        Assert.False(value.IsBool);
        Assert.Equal(level, value.Level);
    }

    [Fact]
    public void Rejects_unknown_level_with_ollamas_text()
    {
        var ex = Assert.Throws<JsonException>(() => Read("\"extreme\""));
        Assert.Equal("invalid think value: \"extreme\" (must be \"high\", \"medium\", \"low\", \"max\", true, or false)", ex.Message);
        Assert.Throws<JsonException>(() => Read("1"));
    }

    [Fact]
    public void Writes_the_form_it_holds()
    {
        var request = new ChatRequest { Model = "m", Think = ThinkValue.FromLevel("high") };
        Assert.Contains("\"think\":\"high\"", JsonSerializer.Serialize(request, OllamaJsonContext.Default.ChatRequest));
        request.Think = false;
        Assert.Contains("\"think\":false", JsonSerializer.Serialize(request, OllamaJsonContext.Default.ChatRequest));
        request.Think = null;
        Assert.DoesNotContain("think", JsonSerializer.Serialize(request, OllamaJsonContext.Default.ChatRequest));
    }
}
