using System.Security.Cryptography;
using System.Text;
using Corral.Models.Names;

namespace Corral.Models.Tests.Names;

public sealed class BlobDigestTests
{
    private static readonly string Hex = Convert.ToHexStringLower(SHA256.HashData("hello"u8));

    [Fact]
    public void ParsesBothSeparatorsAndNormalisesCase()
    {
        var colon = BlobDigest.Parse("sha256:" + Hex);
        var dash = BlobDigest.Parse("sha256-" + Hex);
        var upper = BlobDigest.Parse("sha256:" + Hex.ToUpperInvariant());

        Assert.Equal(colon, dash);
        Assert.Equal(colon, upper);
        Assert.Equal("sha256:" + Hex, upper.ToString());
        Assert.Equal("sha256-" + Hex, upper.FileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:../x")]
    [InlineData("sha256:../../../../etc/passwd")]
    [InlineData("sha512:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("SHA256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000g")]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000\0")]
    [InlineData(" sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000 ")]
    [InlineData("sha256:00000000000000000000000000000000000000000000000000000000000000/0")]
    public void RejectsAnythingElse(string text)
    {
        Assert.False(BlobDigest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => BlobDigest.Parse(text));
    }

    [Theory]
    [InlineData("sha256-{0}", true)]
    [InlineData("sha256:{0}", false)]
    [InlineData("sha256-{0}-partial", false)]
    [InlineData("sha256-{0}-partial-0", false)]
    [InlineData("sha256-123456", false)]
    [InlineData(".sha256-{0}", false)]
    public void RecognisesOnlyCompleteBlobFileNames(string pattern, bool expected) =>
        Assert.Equal(expected, BlobDigest.TryParseFileName(string.Format(pattern, Hex), out _));

    [Fact]
    public void UpperCaseFileNamesAreNotBlobs() =>
        Assert.False(BlobDigest.TryParseFileName("sha256-" + Hex.ToUpperInvariant(), out _));

    [Fact]
    public void ComputeMatchesSha256() =>
        Assert.Equal(Hex, BlobDigest.Compute(Encoding.UTF8.GetBytes("hello")).Hex);
}
