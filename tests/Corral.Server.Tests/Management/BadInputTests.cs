using System.Net;
using System.Text;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string UnknownDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    public static TheoryData<string, string, string?, HttpStatusCode, string?> Requests => new()
    {
        // method, path, body, status, exact error (null: any non-empty error)
        { "POST", "/api/show", "{", HttpStatusCode.BadRequest, null },
        { "POST", "/api/show", "", HttpStatusCode.BadRequest, "missing request body" },
        { "POST", "/api/show", "{}", HttpStatusCode.BadRequest, "model is required" },
        { "POST", "/api/show", """{"model":"nope"}""", HttpStatusCode.NotFound, "model 'nope:latest' not found" },
        { "POST", "/api/show", """{"model":"someone/nope:v2"}""", HttpStatusCode.NotFound, "model 'someone/nope:v2' not found" },
        { "POST", "/api/show", """{"model":"../../x"}""", HttpStatusCode.BadRequest, "invalid model name" },
        { "POST", "/api/show", """{"model":"a\u0000b"}""", HttpStatusCode.BadRequest, null },
        { "POST", "/api/show", """{"model":42}""", HttpStatusCode.BadRequest, null },
        { "POST", "/api/create", "[1,2", HttpStatusCode.BadRequest, null },
        { "POST", "/api/create", """{"model":"../../x","from":"y"}""", HttpStatusCode.BadRequest, "invalid model name" },
        { "POST", "/api/create", """{"model":"a\u0000b","from":"y"}""", HttpStatusCode.BadRequest, "invalid model name" },
        { "POST", "/api/create", """{"model":"x"}""", HttpStatusCode.BadRequest, "neither 'from' or 'files' was specified" },
        { "POST", "/api/create", """{"model":"x","from":"no-such-model"}""", HttpStatusCode.NotFound, "model 'no-such-model' not found" },
        { "POST", "/api/create", """{"model":"x","from":"../../etc"}""", HttpStatusCode.BadRequest, "invalid model name" },
        { "POST", "/api/create", """{"model":"x","files":{"m.gguf":"sha256:../x"}}""", HttpStatusCode.BadRequest, "invalid digest format" },
        { "POST", "/api/create", "{\"model\":\"x\",\"files\":{\"m.gguf\":\"" + UnknownDigest + "\"}}", HttpStatusCode.BadRequest, $"blob \"{UnknownDigest}\" not found" },
        { "POST", "/api/create", "{\"model\":\"x\",\"files\":{\"../m.gguf\":\"" + UnknownDigest + "\"}}", HttpStatusCode.BadRequest, "file path must be relative" },
        { "POST", "/api/create", "{\"model\":\"x\",\"files\":{\"/etc/m.gguf\":\"" + UnknownDigest + "\"}}", HttpStatusCode.BadRequest, "file path must be relative" },
        { "POST", "/api/create", """{"model":"x","files":{}}""", HttpStatusCode.BadRequest, null },
        { "POST", "/api/create", """{"model":"x","from":"y","quantize":"q3_k_xl"}""", HttpStatusCode.BadRequest, "unsupported quantization type Q3_K_XL - supported types are F32, F16, Q4_K_S, Q4_K_M, Q8_0" },
        { "POST", "/api/copy", "nonsense", HttpStatusCode.BadRequest, null },
        { "POST", "/api/copy", """{"source":"no-such","destination":"x"}""", HttpStatusCode.NotFound, "model \"no-such\" not found" },
        { "POST", "/api/copy", """{"source":"../../x","destination":"x"}""", HttpStatusCode.BadRequest, "source \"../../x\" is invalid" },
        { "DELETE", "/api/delete", "{", HttpStatusCode.BadRequest, null },
        { "DELETE", "/api/delete", """{"model":"no-such"}""", HttpStatusCode.NotFound, "model 'no-such' not found" },
        { "DELETE", "/api/delete", """{"model":"a\u0000b"}""", HttpStatusCode.BadRequest, "name \"a\\x00b\" is invalid" },
        { "DELETE", "/api/delete", "{}", HttpStatusCode.BadRequest, "model is required" },
        { "DELETE", "/api/delete", """{"model":"../../x"}""", HttpStatusCode.BadRequest, "name \"../../x\" is invalid" },
        { "HEAD", "/api/blobs/sha256:../x", null, HttpStatusCode.BadRequest, null },
        { "HEAD", "/api/blobs/sha256:" + new string('a', 63), null, HttpStatusCode.BadRequest, null },
        { "HEAD", "/api/blobs/md5:" + new string('a', 64), null, HttpStatusCode.BadRequest, null },
        { "HEAD", "/api/blobs/" + UnknownDigest, null, HttpStatusCode.NotFound, null },
        { "POST", "/api/blobs/sha256:..%2F..%2Fx", "x", HttpStatusCode.BadRequest, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequests_GetOllamasStatusAndMessage(string method, string path, string? body, HttpStatusCode status, string? error)
    {
        var (actualStatus, actualError) = await RawApi.SendAsync(fixture.Http, new HttpMethod(method), path, body);
        Assert.Equal(status, actualStatus);
        if (method != "HEAD")
        {
            Assert.False(string.IsNullOrEmpty(actualError));
            if (error is not null)
            {
                Assert.Equal(error, actualError);
            }
        }
    }

    [Fact]
    public async Task BlobDigestWithNulByte_IsRefused()
    {
        // Kestrel itself refuses a NUL in the path (400 without a JSON body); nothing reaches the store.
        var (status, _) = await RawApi.PostBytesAsync(fixture.Http, "/api/blobs/sha256:%00" + new string('a', 63), "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task BlobUpload_IsVerified_Created_ThenAlreadyPresent()
    {
        var content = Encoding.UTF8.GetBytes("blob content " + Guid.NewGuid());
        var digest = ServerFixture.DigestOf(content);
        var other = ServerFixture.DigestOf("something else"u8.ToArray());

        var mismatch = await RawApi.PostBytesAsync(fixture.Http, "/api/blobs/" + other, content);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal($"digest mismatch, expected \"{other}\", got \"{digest}\"", mismatch.Error);
        Assert.False(fixture.BlobOnDisk(other));
        Assert.False(fixture.BlobOnDisk(digest));
        Assert.DoesNotContain(Directory.EnumerateFiles(fixture.BlobsPath), f => Path.GetFileName(f).Contains("partial", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, (await RawApi.PostBytesAsync(fixture.Http, "/api/blobs/" + digest, content)).Status);
        Assert.True(fixture.BlobOnDisk(digest));
        Assert.True(await fixture.Client.HeadBlobAsync(digest));
        Assert.Equal(HttpStatusCode.OK, (await RawApi.PostBytesAsync(fixture.Http, "/api/blobs/" + digest, content)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RawApi.SendAsync(fixture.Http, HttpMethod.Head, "/api/blobs/" + digest.Replace(':', '-'))).Status);
    }

    public static TheoryData<string, byte[]> BrokenFiles()
    {
        var random = File.ReadAllBytes(GeneratedModels.Random);
        return new()
        {
            { "truncated", random[..(random.Length / 2)] },
            { "header only", random[..64] },
            { "not gguf", "hello, world"u8.ToArray() },
            { "huge array", HostileArrayGguf() },
            { "huge string", HostileStringGguf() },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task CreateFromBrokenGguf_IsAClearBadRequest_AndTheServerKeepsServing(string what, byte[] content)
    {
        var digest = ServerFixture.DigestOf(content);
        Assert.Equal(HttpStatusCode.Created, (await RawApi.PostBytesAsync(fixture.Http, "/api/blobs/" + digest, content)).Status);

        var body = "{\"model\":\"broken\",\"files\":{\"model.gguf\":\"" + digest + "\"}}";
        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrEmpty(error), what);
        Assert.True(error!.Contains("GGUF", StringComparison.Ordinal), error);

        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/")).StatusCode);
        Assert.DoesNotContain((await fixture.Client.ListAsync()).Models, m => m.Name == "broken:latest");
        Assert.False(fixture.Server.HasExited);
    }

    /// <summary>A GGUF header announcing an array of 2^62 strings.</summary>
    private static byte[] HostileArrayGguf()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write(0UL); // tensors
        w.Write(1UL); // kv pairs
        w.Write(4UL);
        w.Write("abcd"u8);
        w.Write(9u); // array
        w.Write(8u); // of strings
        w.Write(1UL << 62);
        w.Write(new byte[32]);
        return ms.ToArray();
    }

    /// <summary>A GGUF header whose first key claims to be 2^60 bytes long.</summary>
    private static byte[] HostileStringGguf()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write(1UL);
        w.Write(1UL);
        w.Write(1UL << 60);
        w.Write(new byte[64]);
        return ms.ToArray();
    }
}
