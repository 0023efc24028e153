using Corral.Api.Client;

namespace Corral.Api.Tests.Client;

public sealed class OllamaEndpointTests
{
    [Theory]
    [InlineData(null, "http://127.0.0.1:11434/")]
    [InlineData("", "http://127.0.0.1:11434/")]
    [InlineData("1.2.3.4", "http://1.2.3.4:11434/")]
    [InlineData(":1234", "http://127.0.0.1:1234/")]
    [InlineData("example.com:5000", "http://example.com:5000/")]
    [InlineData("http://example.com", "http://example.com:80/")]
    [InlineData("https://example.com", "https://example.com:443/")]
    [InlineData("https://example.com/ollama", "https://example.com:443/ollama/")]
    [InlineData("0.0.0.0:11434", "http://127.0.0.1:11434/")]
    [InlineData("[::1]:8080", "http://[::1]:8080/")]
    [InlineData("[::]", "http://[::1]:11434/")]
    [InlineData("\"localhost:99\"", "http://localhost:99/")]
    public void Resolves_like_ollama(string? value, string expected) => Assert.Equal(new Uri(expected), OllamaEndpoint.Resolve(value));
}
