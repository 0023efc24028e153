using System.Text;
using Corral.Models.Registry;

namespace Corral.Models.Tests.Registry;

public sealed class ManifestValidatorTests
{
    private static readonly string Hex = new('a', 64);
    private static readonly RegistryOptions Options = new();

    private static string Layer(string digest = "", long size = 10, string mediaType = "application/vnd.ollama.image.model") =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{(digest.Length == 0 ? "sha256:" + Hex : digest)}}","size":{{size}}}""";

    private static byte[] ManifestJson(string layers, string config = "", string mediaType = "application/vnd.docker.distribution.manifest.v2+json") =>
        Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{mediaType}}",
             "config":{{(config.Length == 0 ? Layer(mediaType: "application/vnd.docker.container.image.v1+json") : config)}},
             "layers":[{{layers}}]}
            """);

    [Fact]
    public void AcceptsAnOllamaManifest()
    {
        var manifest = ManifestValidator.Validate(ManifestJson(Layer() + "," + Layer(mediaType: "application/vnd.ollama.image.template")), Options);
        Assert.Equal(2, manifest.Layers.Count);
        Assert.Equal(Hex, manifest.Layers[0].Digest.Hex);
    }

    [Theory]
    [InlineData("sha256:../../../../etc/passwd")]
    [InlineData("sha256:abc")]
    [InlineData("md5:0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/..")]
    public void RefusesBadDigests(string digest)
    {
        var e = Assert.Throws<RegistryException>(() => ManifestValidator.Validate(ManifestJson(Layer(digest)), Options));
        Assert.Contains("digest", e.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MaxValue)]
    [InlineData((1L << 40) + 1)]
    public void RefusesImpossibleSizes(long size)
    {
        var e = Assert.Throws<RegistryException>(() => ManifestValidator.Validate(ManifestJson(Layer(size: size)), Options));
        Assert.Contains("size", e.Message);
    }

    [Fact]
    public void RefusesSizesThatOnlyOverflowTogether()
    {
        var half = 1L << 39;
        var json = ManifestJson(string.Join(',', Enumerable.Repeat(Layer(size: half), 3)));
        Assert.Throws<RegistryException>(() => ManifestValidator.Validate(json, Options));
    }

    [Fact]
    public void RefusesTenThousandLayers()
    {
        var json = ManifestJson(string.Join(',', Enumerable.Repeat(Layer(), 10_000)));
        var e = Assert.Throws<RegistryException>(() => ManifestValidator.Validate(json, Options));
        Assert.Contains("10000 layers", e.Message);
    }

    [Fact]
    public void RefusesOversizedManifestBeforeParsing()
    {
        var json = new byte[Options.MaxManifestBytes + 1];
        var e = Assert.Throws<RegistryException>(() => ManifestValidator.Validate(json, Options));
        Assert.Contains("too large", e.Message);
    }

    [Theory]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip")]
    [InlineData("text/html")]
    public void RefusesForeignLayerMediaTypes(string mediaType)
    {
        var e = Assert.Throws<RegistryException>(() => ManifestValidator.Validate(ManifestJson(Layer(mediaType: mediaType)), Options));
        Assert.Contains("media type", e.Message);
    }

    [Fact]
    public void RefusesManifestListsAndWrongConfigs()
    {
        Assert.Throws<RegistryException>(() => ManifestValidator.Validate(
            ManifestJson(Layer(), mediaType: "application/vnd.docker.distribution.manifest.list.v2+json"), Options));
        Assert.Throws<RegistryException>(() => ManifestValidator.Validate(
            ManifestJson(Layer(), config: Layer(mediaType: "application/octet-stream")), Options));
    }

    [Fact]
    public void RefusesMalformedJson()
    {
        Assert.Throws<RegistryException>(() => ManifestValidator.Validate("{\"schemaVersion\":2,"u8, Options));
        Assert.Throws<RegistryException>(() => ManifestValidator.Validate("{\"schemaVersion\":2,\"layers\":[]}"u8, Options));
    }
}
