using Corral.Models.Names;

namespace Corral.Models.Tests.Names;

public sealed class ModelNameTests
{
    [Theory]
    [InlineData("llama3.2", "registry.ollama.ai", "library", "llama3.2", "latest")]
    [InlineData("llama3.2:1b", "registry.ollama.ai", "library", "llama3.2", "1b")]
    [InlineData("mike/mistral:7b-q4_0", "registry.ollama.ai", "mike", "mistral", "7b-q4_0")]
    [InlineData("example.com/ns/model:tag", "example.com", "ns", "model", "tag")]
    [InlineData("localhost:5000/ns/model", "localhost:5000", "ns", "model", "latest")]
    [InlineData("localhost:5000/ns/model:v1", "localhost:5000", "ns", "model", "v1")]
    [InlineData("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M")]
    [InlineData("https://hf.co/user/repo:Q8_0", "hf.co", "user", "repo", "Q8_0")]
    [InlineData("http://127.0.0.1:8080/a/b", "127.0.0.1:8080", "a", "b", "latest")]
    [InlineData("_private/m_1:_t", "registry.ollama.ai", "_private", "m_1", "_t")]
    [InlineData("x", "registry.ollama.ai", "library", "x", "latest")]
    public void ParsesValidNamesWithDefaults(string text, string host, string ns, string model, string tag)
    {
        var name = ModelName.Parse(text);

        Assert.True(name.IsValid, text);
        Assert.True(name.IsFullyQualified);
        Assert.Equal(host, name.Host);
        Assert.Equal(ns, name.Namespace);
        Assert.Equal(model, name.Model);
        Assert.Equal(tag, name.Tag);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(":")]
    [InlineData("model:")]
    [InlineData(":tag")]
    [InlineData("/model")]
    [InlineData("ns/")]
    [InlineData("host//model")]
    [InlineData("//model")]
    [InlineData("a/b/c/d")]
    [InlineData("a/b/c/d:e")]
    [InlineData("../../x")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../b")]
    [InlineData("a/b/..")]
    [InlineData("./x")]
    [InlineData(".hidden")]
    [InlineData("x:..")]
    [InlineData("x:.")]
    [InlineData("x:../../etc")]
    [InlineData("ns.with.dot/model")]
    [InlineData("%2e%2e/x")]
    [InlineData("%2e%2e")]
    [InlineData("/etc/passwd")]
    [InlineData("/abs/path/x")]
    [InlineData("C:\\Windows\\x")]
    [InlineData("a\\b")]
    [InlineData("mod\0el")]
    [InlineData("model:ta\0g")]
    [InlineData("mod el")]
    [InlineData("model\n")]
    [InlineData("-model")]
    [InlineData("model:-tag")]
    [InlineData("modèle")]
    [InlineData("модель")]
    [InlineData("model:tag:extra/x")]
    [InlineData("model@")]
    [InlineData("model@sha256:1234")]
    [InlineData("model@sha256:../x")]
    [InlineData("a:b:c")]
    [InlineData("host:99/ns:x/model")]
    [InlineData("https://model")]
    public void RejectsInvalidNames(string text)
    {
        var name = ModelName.Parse(text);

        Assert.False(name.IsValid, text);
        Assert.False(ModelName.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ModelName.ParseValid(text));
        Assert.Throws<InvalidOperationException>(() => name.ManifestRelativePath);
    }

    [Fact]
    public void EnforcesPartLengths()
    {
        Assert.True(ModelName.Parse(new string('m', 80)).IsValid);
        Assert.False(ModelName.Parse(new string('m', 81)).IsValid);
        Assert.True(ModelName.Parse("m:" + new string('t', 80)).IsValid);
        Assert.False(ModelName.Parse("m:" + new string('t', 81)).IsValid);
        Assert.True(ModelName.Parse(new string('n', 80) + "/m").IsValid);
        Assert.False(ModelName.Parse(new string('n', 81) + "/m").IsValid);
        Assert.True(ModelName.Parse(new string('h', 350) + "/n/m").IsValid);
        Assert.False(ModelName.Parse(new string('h', 351) + "/n/m").IsValid);
        Assert.False(ModelName.Parse(new string('x', 100_000)).IsValid);
    }

    [Fact]
    public void ComparesIgnoringCaseButKeepsDisplayCase()
    {
        var upper = ModelName.Parse("Registry.Ollama.AI/Library/Llama3:Latest");
        var lower = ModelName.Parse("llama3");

        Assert.Equal(lower, upper);
        Assert.True(upper == lower);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.Equal("Llama3", upper.Model);
        Assert.Equal("Llama3:Latest", upper.DisplayShortest());
        Assert.NotEqual(ModelName.Parse("llama3:8b"), lower);
        Assert.Contains(upper, new HashSet<ModelName> { lower });
    }

    [Theory]
    [InlineData("llama3.2", "llama3.2:latest")]
    [InlineData("registry.ollama.ai/library/llama3.2:1b", "llama3.2:1b")]
    [InlineData("mike/mistral", "mike/mistral:latest")]
    [InlineData("hf.co/user/repo:Q4_K_M", "hf.co/user/repo:Q4_K_M")]
    [InlineData("example.com/library/m", "example.com/library/m:latest")]
    public void DisplayShortestMatchesOllamaList(string text, string expected) =>
        Assert.Equal(expected, ModelName.Parse(text).DisplayShortest());

    [Fact]
    public void ManifestRelativePathHasFourParts()
    {
        var name = ModelName.Parse("hf.co/user/repo:Q4_K_M");
        Assert.Equal(Path.Combine("hf.co", "user", "repo", "Q4_K_M"), name.ManifestRelativePath);
        Assert.Equal(Path.Combine("registry.ollama.ai", "library", "x", "latest"), ModelName.Parse("x").ManifestRelativePath);
    }

    [Fact]
    public void ParsesOptionalDigestWithoutPuttingItInThePath()
    {
        var hex = new string('a', 64);
        var name = ModelName.Parse($"llama3:8b@sha256:{hex}");

        Assert.True(name.IsValid);
        Assert.Equal("8b", name.Tag);
        Assert.Equal(hex, name.Digest!.Hex);
        Assert.DoesNotContain(hex, name.ManifestRelativePath);
        Assert.Equal($"registry.ollama.ai/library/llama3:8b@sha256:{hex}", name.ToString());
        Assert.Equal(ModelName.Parse("llama3:8b"), name.WithoutDigest());
        Assert.True(ModelName.Parse($"llama3@sha256-{hex}").IsValid);
    }

    [Theory]
    [InlineData("registry.ollama.ai/library/llama3/latest", true)]
    [InlineData("hf.co/u/r/Q4_K_M", true)]
    [InlineData("a/b/c", false)]
    [InlineData("a/b/c/d/e", false)]
    [InlineData("a/b/../d", false)]
    [InlineData("a/b.c/d/e", false)]
    [InlineData("a/b/c/.tmp", false)]
    public void FromManifestRelativePathAcceptsOnlyFourValidParts(string path, bool valid) =>
        Assert.Equal(valid, ModelName.FromManifestRelativePath(path) is not null);
}
