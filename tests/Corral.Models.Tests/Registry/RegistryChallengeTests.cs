using Corral.Models.Registry;

namespace Corral.Models.Tests.Registry;

public sealed class RegistryChallengeTests
{
    [Fact]
    public void ParsesBearerChallenge()
    {
        var challenge = RegistryChallenge.Parse("Bearer realm=\"https://registry.ollama.ai/v2/token\",service=\"registry.ollama.ai\",scope=\"repository:library/llama3:pull\"");
        Assert.NotNull(challenge);
        Assert.Equal("https://registry.ollama.ai/v2/token", challenge.Realm);
        Assert.Equal("registry.ollama.ai", challenge.Service);
        Assert.Equal("repository:library/llama3:pull", challenge.Scope);
    }

    [Fact]
    public void BuildsTokenUriWithEveryScope()
    {
        var challenge = new RegistryChallenge("https://auth.example/token?x=1", "svc", "repository:a/b:pull repository:a/b:push");
        var uri = challenge.BuildTokenUri();
        Assert.Equal("auth.example", uri.Host);
        Assert.Equal("?x=1&service=svc&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Aa%2Fb%3Apush", uri.Query);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Bearer service=\"x\"")]
    [InlineData("Bearer realm=\"unterminated")]
    public void RejectsOtherChallenges(string? header) => Assert.Null(RegistryChallenge.Parse(header));

    [Fact]
    public void RefusesRelativeRealm() =>
        Assert.Throws<RegistryException>(() => new RegistryChallenge("/token", null, null).BuildTokenUri());
}
